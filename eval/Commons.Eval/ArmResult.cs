namespace Commons.Eval;

/// <summary>What an arm scored: right (1) or wrong (0) for each person and interaction, and what its agents shared.</summary>
public sealed record ArmResult(
    ArmSpec Spec,
    IReadOnlyList<Person> People,
    double[][] Correct,
    int ArtifactsShared,
    int InsightsImported,
    LeakCount Leaks,
    TimeSpan Elapsed,
    SyncFigures? Sync = null)
{
    /// <summary>Mean accuracy across people at each interaction (1-based index t-1).</summary>
    public double[] Curve => Enumerable.Range(0, Correct[0].Length).Select(t => Correct.Average(p => p[t])).ToArray();

    /// <summary>The curve for one role only (contributors, free riders).</summary>
    public double[] CurveFor(PersonRole role)
    {
        var rows = People.Where(p => p.Role == role).Select(p => Correct[p.Index]).ToList();
        return rows.Count == 0 ? [] : Enumerable.Range(0, Correct[0].Length).Select(t => rows.Average(r => r[t])).ToArray();
    }

    /// <summary>Accuracy around interaction <paramref name="t"/> (1-based): the mean over t-2..t+2, clipped to the run.</summary>
    public double At(int t) => Window(Curve, t);

    public double Mean => Curve.Average();

    public static double Window(double[] curve, int t)
    {
        var from = Math.Max(0, t - 3);
        var to = Math.Min(curve.Length - 1, t + 1);
        return curve[from..(to + 1)].Average();
    }
}
