using System.Collections.Concurrent;
using Npgsql;

namespace Commons.Community.Http;

/// <summary>
/// The pool's member directory: the admitted keys, in PostgreSQL (table CommonsMembers), with the keys
/// this silo has already seen held in memory. A key is checked here before any grain is called, so a key
/// that was never admitted activates no contributor grain. Admission is never withdrawn, so a known
/// member costs nothing; an unknown key costs one indexed read.
/// </summary>
public sealed class MemberCache(string connectionString, string serviceId)
{
    private readonly ConcurrentDictionary<string, bool> _members = new(StringComparer.Ordinal);

    /// <summary>Whether the key was admitted (on any silo of the pool).</summary>
    public async Task<bool> IsMemberAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_members.ContainsKey(key))
        {
            return true;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1 FROM CommonsMembers WHERE ServiceId = @service AND MemberKey = @key", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", key);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        _members[key] = true;
        return true;
    }

    /// <summary>Records an admission (idempotent); call it once the contributor grain has admitted the key.</summary>
    public async Task AddAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO CommonsMembers (ServiceId, MemberKey) VALUES (@service, @key) ON CONFLICT DO NOTHING", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _members[key] = true;
    }
}
