namespace Commons.Pools.Client;

/// <summary>
/// One pool this person's agent belongs to: its URL, the member key for it, what went each way, and
/// how far each topic's digest has been read (<see cref="PoolInbox"/>), and the pool's admin key as its
/// invite named it (the key its policy must be signed with; null for memberships made before).
/// </summary>
public sealed record PoolMembership(
    string Url,
    string MemberKey,
    string KeyFile,
    DateTimeOffset JoinedAt,
    long Sent = 0,
    long Received = 0,
    IReadOnlyDictionary<string, int>? Cursors = null,
    string? PoolKey = null);
