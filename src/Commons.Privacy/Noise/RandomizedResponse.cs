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
}
