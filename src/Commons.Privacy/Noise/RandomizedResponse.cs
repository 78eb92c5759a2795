namespace Commons.Privacy.Noise;

/// <summary>
/// Randomised response on one bit: the truth is kept with probability e^ε / (1 + e^ε) and flipped
/// otherwise, which is ε-differentially private for that bit. A pool that counts many members' bits can
/// still estimate the share that was true (see <see cref="Debias"/>); no single bit can be trusted.
/// </summary>
public static class RandomizedResponse
{
    /// <summary>Draws are made at this resolution: exact to about one part in a billion.</summary>
    private const long Resolution = 1L << 30;

    /// <summary>The probability that the truth is kept at <paramref name="epsilon"/>.</summary>
    public static double KeepProbability(double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        return double.IsPositiveInfinity(epsilon) ? 1 : 1 / (1 + Math.Exp(-epsilon));
    }

    /// <summary>The bit to report for <paramref name="truth"/> at <paramref name="epsilon"/>.</summary>
    public static bool Respond(bool truth, double epsilon, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var keep = random.NextInt64(Resolution) < (long)Math.Round(KeepProbability(epsilon) * Resolution);
        return keep ? truth : !truth;
    }

    /// <summary>An unbiased estimate of the true share of ones from the share reported at <paramref name="epsilon"/>.</summary>
    public static double Debias(double reportedShare, double epsilon)
    {
        var keep = KeepProbability(epsilon);
        return keep == 0.5 ? 0.5 : (reportedShare - (1 - keep)) / ((2 * keep) - 1);
    }

    /// <summary>Points of the grid on which <see cref="Posterior"/> integrates (0 to 1 inclusive).</summary>
    private const int PosteriorGrid = 201;

    /// <summary>
    /// The posterior of the true share of ones behind <paramref name="reports"/> on a grid, from a uniform prior
    /// and each bit's own likelihood: a bit reported at epsilon is one with probability k·q + (1 − k)(1 − q),
    /// where k is <see cref="KeepProbability"/> (an exact bit, epsilon null, has k = 1). Unlike counting
    /// debiased bits, no bit can push the estimate outside what the bits together make likely, so a few
    /// flipped bits cannot sink a share the rest of them support; and few bits never make it sure of a low share.
    /// </summary>
    public static SharePosterior Posterior(IEnumerable<(bool Bit, double? Epsilon)> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var logLikelihood = new double[PosteriorGrid];
        // Bits with the same value and epsilon have the same likelihood: each kind is counted once.
        foreach (var kind in reports.GroupBy(r => r))
        {
            var (bit, epsilon) = kind.Key;
            var count = kind.Count();
            var keep = epsilon is { } e ? KeepProbability(e) : 1;
            for (var i = 0; i < PosteriorGrid; i++)
            {
                var q = (double)i / (PosteriorGrid - 1);
                var one = (keep * q) + ((1 - keep) * (1 - q));
                logLikelihood[i] += count * Math.Log(Math.Max(bit ? one : 1 - one, 1e-12));
            }
        }

        var max = logLikelihood.Max();
        var weights = new double[PosteriorGrid];
        for (var i = 0; i < PosteriorGrid; i++)
        {
            weights[i] = Math.Exp(logLikelihood[i] - max);
        }

        return new SharePosterior(weights);
    }
}

/// <summary>A posterior of a share on an even grid from 0 to 1 (weights in proportion to the density).</summary>
public sealed class SharePosterior
{
    private readonly double[] _weights;
    private readonly double _mass;

    internal SharePosterior(double[] weights)
    {
        _weights = weights;
        _mass = weights.Sum();
    }

    /// <summary>The posterior mean of the share.</summary>
    public double Mean
    {
        get
        {
            var moment = 0.0;
            for (var i = 0; i < _weights.Length; i++)
            {
                moment += _weights[i] * ((double)i / (_weights.Length - 1));
            }

            return moment / _mass;
        }
    }

    /// <summary>The posterior probability that the share is below <paramref name="share"/>.</summary>
    public double ProbabilityBelow(double share)
    {
        var below = 0.0;
        for (var i = 0; i < _weights.Length && (double)i / (_weights.Length - 1) < share; i++)
        {
            below += _weights[i];
        }

        return below / _mass;
    }
}
