namespace Commons.Pools.Client;

/// <summary>A page of the pool's audit log after a cursor.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long Next, bool HasMore);
