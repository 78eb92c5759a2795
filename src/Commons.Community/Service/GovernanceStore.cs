using Commons.Pools.Client;
using Npgsql;

namespace Commons.Community.Service;

/// <summary>
/// The pool's governance records in PostgreSQL (deploy/sql/postgresql/04-commons-governance.sql): the
/// quarantine, the audit log, members' violations and suspensions, and the withdrawn artifacts. Shared
/// by every silo of the pool.
/// </summary>
public sealed class GovernanceStore(string connectionString, string serviceId)
{
    /// <summary>The withdrawal kind of a moderator's removal.</summary>
    public const string Removal = "removal";

    /// <summary>The withdrawal kind of a member's erasure.</summary>
    public const string Erasure = "erasure";

    /// <summary>Puts an artifact or a reported insight in quarantine; a member's repeated report returns the first entry.</summary>
    public async Task<(long Id, bool Duplicate)> QuarantineAsync(string kind, string topic, string insightId, string contributor, string reason, string detail,
        string? reporter, string? artifactJson, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(connection,
            """
            INSERT INTO CommonsQuarantine (ServiceId, Kind, Topic, InsightId, Contributor, Reason, Detail, Reporter, ArtifactJson)
            VALUES (@service, @kind, @topic, @insight, @contributor, @reason, @detail, @reporter, @json)
            ON CONFLICT DO NOTHING RETURNING Id
            """,
            ("kind", kind), ("topic", topic), ("insight", insightId), ("contributor", contributor), ("reason", reason), ("detail", detail),
            ("reporter", (object?)reporter ?? DBNull.Value), ("json", (object?)artifactJson ?? DBNull.Value));
        if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id)
        {
            return (id, false);
        }

        await using var existing = Command(connection,
            "SELECT Id FROM CommonsQuarantine WHERE ServiceId = @service AND Topic = @topic AND InsightId = @insight AND Reporter = @reporter",
            ("topic", topic), ("insight", insightId), ("reporter", reporter ?? ""));
        return ((long)(await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, true);
    }

    /// <summary>The quarantine entries nobody has resolved yet, oldest first.</summary>
    public async Task<IReadOnlyList<QuarantineItem>> OpenQuarantineAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {QuarantineColumns} FROM CommonsQuarantine WHERE ServiceId = @service AND Resolution IS NULL ORDER BY Id LIMIT @max", ("max", max));
        return await ReadQuarantineAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One entry with its artifact's JSON (null for a report), or null when there is none of that id.</summary>
    public async Task<(QuarantineItem Item, string? ArtifactJson)?> FindQuarantineAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {QuarantineColumns}, ArtifactJson FROM CommonsQuarantine WHERE ServiceId = @service AND Id = @id", ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (ReadItem(reader), reader.IsDBNull(9) ? null : reader.GetString(9)) : null;
    }

    /// <summary>Resolves every open entry about the same insight as <paramref name="item"/> (its other reports too).</summary>
    public async Task ResolveAsync(QuarantineItem item, string resolution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            UPDATE CommonsQuarantine SET Resolution = @resolution, ResolvedAt = now()
            WHERE ServiceId = @service AND Resolution IS NULL AND (Id = @id OR (Kind = @kind AND Topic = @topic AND InsightId = @insight))
            """,
            ("resolution", resolution), ("id", item.Id), ("kind", item.Kind), ("topic", item.Topic), ("insight", item.InsightId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends to the audit log.</summary>
    public async Task AuditAsync(string actor, string action, string target, string detail, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "INSERT INTO CommonsAudit (ServiceId, Actor, Action, Target, Detail) VALUES (@service, @actor, @action, @target, @detail)",
            ("actor", actor), ("action", action), ("target", target), ("detail", detail));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends to the audit log unless an entry with this action and target is there already (each silo of a pool says it once between them).</summary>
    public async Task AuditOnceAsync(string actor, string action, string target, string detail, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            INSERT INTO CommonsAudit (ServiceId, Actor, Action, Target, Detail)
            SELECT @service, @actor, @action, @target, @detail
            WHERE NOT EXISTS (SELECT 1 FROM CommonsAudit WHERE ServiceId = @service AND Action = @action AND Target = @target)
            """,
            ("actor", actor), ("action", action), ("target", target), ("detail", detail));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of the audit log after <paramref name="after"/>.</summary>
    public async Task<AuditPage> ReadAuditAsync(long after, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT Seq, At, Actor, Action, Target, Detail FROM CommonsAudit WHERE ServiceId = @service AND Seq > @after ORDER BY Seq LIMIT @max",
            ("after", after), ("max", max + 1));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        var more = entries.Count > max;
        var page = more ? entries[..max] : entries;
        return new AuditPage(page, page.Count == 0 ? after : page[^1].Seq, more);
    }

    /// <summary>Counts a violation; true when it reaches <paramref name="suspendAfter"/> (0: never) and suspends the member now.</summary>
    public async Task<bool> AddViolationAsync(string member, int suspendAfter, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            INSERT INTO CommonsViolations AS v (ServiceId, MemberKey, Violations, SuspendedAt)
            VALUES (@service, @member, 1, CASE WHEN @limit > 0 AND 1 >= @limit THEN now() END)
            ON CONFLICT (ServiceId, MemberKey) DO UPDATE SET
                Violations = v.Violations + 1,
                SuspendedAt = COALESCE(v.SuspendedAt, CASE WHEN @limit > 0 AND v.Violations + 1 >= @limit THEN now() END)
            RETURNING SuspendedAt IS NOT NULL AND Violations = GREATEST(@limit, 1) AND @limit > 0
            """,
            ("member", member), ("limit", suspendAfter));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>Whether the policy's rule suspended <paramref name="member"/> (and no admin reinstated it since).</summary>
    public async Task<bool> IsSuspendedAsync(string member, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT SuspendedAt IS NOT NULL FROM CommonsViolations WHERE ServiceId = @service AND MemberKey = @member", ("member", member));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>Lifts a suspension and clears the member's violations; false when it was not suspended.</summary>
    public async Task<bool> ReinstateAsync(string member, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "UPDATE CommonsViolations SET SuspendedAt = NULL, Violations = 0 WHERE ServiceId = @service AND MemberKey = @member AND SuspendedAt IS NOT NULL",
            ("member", member));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Records withdrawn artifacts with the statement that withdrew them (idempotent).</summary>
    public async Task RecordWithdrawalsAsync(string topic, IReadOnlyList<string> artifactIds, string kind, string statement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactIds);
        if (artifactIds.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            INSERT INTO CommonsWithdrawals (ServiceId, Topic, ArtifactId, Kind, Statement)
            SELECT @service, @topic, id, @kind, @statement FROM unnest(@ids) AS id
            ON CONFLICT DO NOTHING
            """,
            ("topic", topic), ("ids", artifactIds.ToArray()), ("kind", kind), ("statement", statement));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every withdrawn artifact id of a topic, and how it was withdrawn (<see cref="Removal"/> or <see cref="Erasure"/>).</summary>
    public async Task<IReadOnlyList<(string Id, string Kind)>> WithdrawnIdsAsync(string topic, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT ArtifactId, Kind FROM CommonsWithdrawals WHERE ServiceId = @service AND Topic = @topic", ("topic", topic));
        var ids = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add((reader.GetString(0), reader.GetString(1)));
        }

        return ids;
    }

    /// <summary>A page of withdrawals after <paramref name="after"/>, for peer pools.</summary>
    public async Task<WithdrawalPage> ReadWithdrawalsAsync(long after, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT Seq, Topic, ArtifactId, Kind, Statement FROM CommonsWithdrawals WHERE ServiceId = @service AND Seq > @after ORDER BY Seq LIMIT @max",
            ("after", after), ("max", max + 1));
        var items = new List<WithdrawalItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new WithdrawalItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        var more = items.Count > max;
        var page = more ? items[..max] : items;
        return new WithdrawalPage(page, page.Count == 0 ? after : page[^1].Seq, more);
    }

    /// <summary>How many peer pools this pool admitted (they read its feed and its withdrawals).</summary>
    public async Task<int> CountPeerMembersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT count(*) FROM CommonsMembers WHERE ServiceId = @service AND IsPeer");
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private const string QuarantineColumns = "Id, Kind, Topic, InsightId, Contributor, Reason, Detail, CreatedAt, Resolution";

    private static async Task<IReadOnlyList<QuarantineItem>> ReadQuarantineAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var items = new List<QuarantineItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadItem(reader));
        }

        return items;
    }

    private static QuarantineItem ReadItem(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("service", serviceId);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
