namespace Commons.Pools.Client;

/// <summary>The pool's answer to a report: the quarantine entry an admin will review (the same one for a repeated report).</summary>
public sealed record ReportReceipt(long QuarantineId, string Topic, string Id, string Reason, bool Duplicate);
