namespace Commons.Insights;

/// <summary>
/// Outcome counts after differential-privacy noise, the mechanism that noised them and the epsilon spent.
/// </summary>
public sealed record InsightEvidence(long Successes, long Failures, string Mechanism, double Epsilon)
{
    /// <summary>The only mechanism v1 knows: discrete Laplace noise on each count.</summary>
    public const string DiscreteLaplace = "discrete-laplace";
}
