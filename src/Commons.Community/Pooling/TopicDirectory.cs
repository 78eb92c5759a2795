using System.Collections.Concurrent;
using Npgsql;

namespace Commons.Community.Pooling;

/// <summary>
/// The pool's topics, in PostgreSQL (table CommonsTopics): registered once each, capped, listed a
/// page at a time in ordinal order. Topics this silo has seen are held in memory, so publishing to a
/// known topic costs nothing here. Without a database (an in-process pool) the directory is memory alone.
/// </summary>
public sealed class TopicDirectory(string? connectionString, string serviceId)
{
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    /// <summary>A directory in memory only, for an in-process pool of one silo.</summary>
    public TopicDirectory()
        : this(null, "")
    {
    }

    /// <summary>
    /// Registers a topic (idempotent); false when it is new and the pool already holds
    /// <paramref name="maxTopics"/> topics. New topics are registered one at a time per pool (an
    /// advisory lock), so concurrent ones cannot pass the cap together.
    /// </summary>
    public async Task<bool> TryRegisterAsync(string topic, int maxTopics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (_known.ContainsKey(topic))
        {
            return true;
        }

        if (connectionString is null)
        {
            lock (_known)
            {
                return _known.Count < maxTopics && _known.TryAdd(topic, true) || _known.ContainsKey(topic);
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_advisory_xact_lock(hashtext('CommonsTopics:' || @service));
            INSERT INTO CommonsTopics (ServiceId, Topic)
            SELECT @service, @topic
            WHERE EXISTS (SELECT 1 FROM CommonsTopics WHERE ServiceId = @service AND Topic = @topic)
               OR (SELECT count(*) FROM CommonsTopics WHERE ServiceId = @service) < @max
            ON CONFLICT DO NOTHING;
            SELECT EXISTS (SELECT 1 FROM CommonsTopics WHERE ServiceId = @service AND Topic = @topic);
            """, connection, transaction);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.AddWithValue("max", (long)maxTopics);
        var registered = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.GetFieldType(0) == typeof(bool))
                    {
                        registered = reader.GetBoolean(0);
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (registered)
        {
            _known[topic] = true;
        }

        return registered;
    }

    /// <summary>Up to <paramref name="max"/> topics after <paramref name="after"/> (ordinal order), and whether more follow.</summary>
    public async Task<(IReadOnlyList<string> Topics, bool HasMore)> ListAsync(string? after, int max, CancellationToken cancellationToken = default)
    {
        if (connectionString is null)
        {
            var page = _known.Keys.Where(t => after is null || string.CompareOrdinal(t, after) > 0).Order(StringComparer.Ordinal).Take(max + 1).ToList();
            return (page.Take(max).ToList(), page.Count > max);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT Topic FROM CommonsTopics WHERE ServiceId = @service AND Topic > @after ORDER BY Topic LIMIT @limit", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("after", after ?? "");
        command.Parameters.AddWithValue("limit", max + 1);
        var topics = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            topics.Add(reader.GetString(0));
        }

        return (topics.Take(max).ToList(), topics.Count > max);
    }
}
