namespace Commons.Personal.Pools;

/// <summary>One finished sync: when it ended, what it was asked to do, and what it did with each pool.</summary>
public sealed record PoolSyncRun(DateTimeOffset Ended, PoolSyncSteps Steps, IReadOnlyList<PoolSyncResult> Results);
