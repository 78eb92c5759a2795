namespace Commons.Personal.Pools;

/// <summary>
/// What one sync did with one pool; <see cref="Problem"/> says why it stopped early (the pool was unreachable,
/// a key is missing), to be retried later; <see cref="NothingStagedBecause"/> why a pull that went through staged nothing.
/// </summary>
public sealed record PoolSyncResult(
    string Pool,
    int Delivered,
    int Refused,
    int Waiting,
    int ReportsSent,
    int ReportsWaiting,
    int Staged,
    int Unverifiable,
    int Withdrawn,
    IReadOnlyList<string> Refusals,
    string? Problem,
    string? PullStoppedBecause,
    string? NothingStagedBecause = null);
