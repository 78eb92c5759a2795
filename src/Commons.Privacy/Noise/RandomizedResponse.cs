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

    /// <summary>
    /// How much one bit reported at <paramref name="epsilon"/> says, against an exact bit (1): the variance
    /// of an exact bit at its widest (1/4) over that of the debiased estimate, k(1-k)/(2k-1)^2, at most 1.
    /// At epsilon 1 a bit counts about a quarter; at 4 and above, fully.
    /// </summary>
    public static double Weight(double epsilon)
    {
        var keep = KeepProbability(epsilon);
        if (keep >= 1)
        {
            return 1;
        }

        var spread = (2 * keep) - 1;
        return Math.Min(1, 0.25 * spread * spread / (keep * (1 - keep)));
    }

    /// <summary>An unbiased estimate of the true share of ones from the share reported at <paramref name="epsilon"/>.</summary>
    public static double Debias(double reportedShare, double epsilon)
    {
        var keep = KeepProbability(epsilon);
        return keep == 0.5 ? 0.5 : (reportedShare - (1 - keep)) / ((2 * keep) - 1);
    }
}
