using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Commons.Community.Pooling;

/// <summary>
/// Each topic's text placements in PostgreSQL (table CommonsTopicTexts): which group every distinct
/// text joined, and each group's vector, so that a topic activating again places its log without
/// embedding it. Without a database (an in-process pool) it stores nothing and every activation
/// embeds, as before.
/// </summary>
public sealed class TopicTextStore(string? connectionString, string serviceId)
{
    /// <summary>A store that keeps nothing, for an in-process pool.</summary>
    public TopicTextStore()
        : this(null, "")
    {
    }

    /// <summary>The placements recorded for a topic, by the SHA-256 of their normalised text.</summary>
    public async Task<IReadOnlyDictionary<string, (string GroupId, float[]? Vector)>> ReadAsync(string topic, CancellationToken cancellationToken = default)
    {
        var placements = new Dictionary<string, (string, float[]?)>(StringComparer.Ordinal);
        if (connectionString is null)
        {
            return placements;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT TextHash, GroupId, Vector FROM CommonsTopicTexts WHERE ServiceId = @service AND Topic = @topic", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("topic", topic);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var hash = Convert.ToHexString(reader.GetFieldValue<byte[]>(0));
            var vector = reader.IsDBNull(2) ? null : MemoryMarshal.Cast<byte, float>(reader.GetFieldValue<byte[]>(2)).ToArray();
            placements[hash] = (reader.GetString(1), vector);
        }

        return placements;
    }

    /// <summary>Records new placements (a text already recorded keeps its first placement).</summary>
    public async Task WriteAsync(string topic, IReadOnlyList<TextPlacement> placements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(placements);
        if (connectionString is null || placements.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO CommonsTopicTexts (ServiceId, Topic, TextHash, GroupId, Vector)
            SELECT @service, @topic, t.hash, t.groupid, t.vector FROM unnest(@hashes, @groups, @vectors) AS t(hash, groupid, vector)
            ON CONFLICT (ServiceId, Topic, TextHash) DO NOTHING
            """, connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = placements.Select(p => Hash(p.Normalised)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("groups", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = placements.Select(p => p.GroupId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("vectors", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            Value = placements.Select(p => p.Vector is null ? (object)DBNull.Value : MemoryMarshal.AsBytes(p.Vector.AsSpan()).ToArray()).ToArray(),
        });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key <see cref="ReadAsync"/> answers by.</summary>
    public static string KeyOf(string normalised) => Convert.ToHexString(Hash(normalised));

    private static byte[] Hash(string normalised) => SHA256.HashData(Encoding.UTF8.GetBytes(normalised));
}
