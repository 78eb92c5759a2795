namespace Commons.Pools.Client;

/// <summary>One admin action (or a suspension the policy's rule made), as members read it.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string Detail);
