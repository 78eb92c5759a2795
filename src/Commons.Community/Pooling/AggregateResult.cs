namespace Commons.Community.Pooling;

/// <summary>
/// A group's robust evidence: how many contributors count, how many were quarantined as outliers, the
/// success rate, and that rate as pseudo-counts over the capped, weighted number of trials.
/// </summary>
public sealed record AggregateResult(int Contributors, int Quarantined, double SuccessRate, double Successes, double Failures)
{
    public static AggregateResult Empty { get; } = new(0, 0, 0.5, 0, 0);
}
