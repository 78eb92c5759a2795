using System.Collections.Concurrent;
using Npgsql;

namespace Commons.Community.Http;

/// <summary>
/// The pool's member directory: the admitted keys, in PostgreSQL (table CommonsMembers), with the keys
/// this silo has already seen held in memory. A key is checked here before any grain is called, so a key
/// that was never admitted activates no contributor grain. Admission is never withdrawn, so a known
/// member costs nothing; an unknown key costs one indexed read. A peer pool is a member admitted with a
/// peer invite; only peers read the feed. Without a database (an in-process pool of one silo, such as
/// the benchmark's) the directory is this silo's memory alone.
/// </summary>
public sealed class MemberCache(string? connectionString, string serviceId)
{
    /// <summary>A directory in memory only, for an in-process pool of one silo.</summary>
    public MemberCache()
        : this(null, "")
    {
    }

    /// <summary>Admitted keys this silo has seen, and whether each is a peer pool's.</summary>
    private readonly ConcurrentDictionary<string, bool> _members = new(StringComparer.Ordinal);

    /// <summary>Whether the key was admitted (on any silo of the pool).</summary>
    public async Task<bool> IsMemberAsync(string key, CancellationToken cancellationToken = default)
    {
        return _members.ContainsKey(key) || await LookUpAsync(key, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Whether the key was admitted as a peer pool (with a peer invite).</summary>
    public async Task<bool> IsPeerAsync(string key, CancellationToken cancellationToken = default)
    {
        // A member seen here may have been made a peer since, on another silo: only "peer" is final.
        return (_members.TryGetValue(key, out var peer) && peer) || await LookUpAsync(key, cancellationToken).ConfigureAwait(false) == true;
    }

    /// <summary>
    /// Records an admission (idempotent; a peer stays a peer); call it once the contributor grain has
    /// admitted the key.
    /// </summary>
    public async Task AddAsync(string key, bool peer, CancellationToken cancellationToken = default)
    {
        if (connectionString is null)
        {
            _members.AddOrUpdate(key, peer, (_, was) => was || peer);
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO CommonsMembers (ServiceId, MemberKey, IsPeer) VALUES (@service, @key, @peer)
            ON CONFLICT (ServiceId, MemberKey) DO UPDATE SET IsPeer = CommonsMembers.IsPeer OR excluded.IsPeer
            RETURNING IsPeer
            """, connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("peer", peer);
        _members[key] = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>Null for a key that was never admitted, otherwise whether it is a peer; remembered.</summary>
    private async Task<bool?> LookUpAsync(string key, CancellationToken cancellationToken)
    {
        if (connectionString is null)
        {
            return _members.TryGetValue(key, out var known) ? known : null;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT IsPeer FROM CommonsMembers WHERE ServiceId = @service AND MemberKey = @key", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("key", key);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not bool peer)
        {
            return null;
        }

        _members[key] = peer;
        return peer;
    }
}
