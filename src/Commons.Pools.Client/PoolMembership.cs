namespace Commons.Pools.Client;

/// <summary>One pool this person's agent belongs to: its URL, the member key for it, and what went each way.</summary>
public sealed record PoolMembership(
    string Url,
    string MemberKey,
    string KeyFile,
    DateTimeOffset JoinedAt,
    long Sent = 0,
    long Received = 0);
