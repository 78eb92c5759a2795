namespace Commons.Cli.Commands;

/// <summary>
/// The statistics of a paired benchmark measured in blocks (each block runs the baseline and the candidate
/// back to back, in ABBA order): a ratio of means for rates and a median of paired differences for
/// latencies, each with a 95% percentile-bootstrap interval that resamples whole blocks, so the pairing
/// (the machine's speed at that moment) is kept.
/// </summary>
internal static class PairedBlocks
{
    private const int Resamples = 4000;

    /// <summary>
    /// How much slower the candidate's rate is, in percent: <c>(1 - mean(candidate) / mean(baseline)) × 100</c>
    /// over the blocks, with its interval.
    /// </summary>
    public static Estimate RateCost(IReadOnlyList<(double Baseline, double Candidate)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return Bootstrap(blocks, Cost);

        static double Cost(IEnumerable<(double Baseline, double Candidate)> sample)
        {
            double baseline = 0, candidate = 0;
            foreach (var (b, c) in sample)
            {
                baseline += b;
                candidate += c;
            }

            return (1 - (candidate / baseline)) * 100;
        }
    }

    /// <summary>
    /// How much later the candidate is (candidate − baseline), as the median of the blocks' differences:
    /// a latency spike from other work on the machine moves it less than a mean.
    /// </summary>
    public static Estimate LatencyCost(IReadOnlyList<(double Baseline, double Candidate)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return Bootstrap(blocks, sample => BenchCommand.Median(sample.Select(p => p.Candidate - p.Baseline)));
    }

    /// <summary>
    /// <paramref name="statistic"/> over <paramref name="blocks"/>, with its 95% percentile-bootstrap interval
    /// (whole blocks resampled, so whatever a block pairs stays paired).
    /// </summary>
    public static Estimate Bootstrap<T>(IReadOnlyList<T> blocks, Func<IEnumerable<T>, double> statistic)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(statistic);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("No blocks were measured.", nameof(blocks));
        }

        // A fixed seed: the same measurements always give the same interval.
        var random = new Random(1);
        var values = new double[Resamples];
        var sample = new T[blocks.Count];
        for (var r = 0; r < Resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = blocks[random.Next(blocks.Count)];
            }

            values[r] = statistic(sample);
        }

        Array.Sort(values);
        return new Estimate(statistic(blocks), values[(int)(Resamples * 0.025)], values[(int)(Resamples * 0.975) - 1]);
    }

    /// <summary>A figure and its 95% interval.</summary>
    public readonly record struct Estimate(double Value, double Low, double High);
}
