namespace Commons.Privacy.Noise;

/// <summary>
/// Exact sampling from the discrete Laplace distribution, P(x) ∝ exp(−|x|/scale) for a rational scale, with
/// integer arithmetic only (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential
/// Privacy", algorithms 1 and 2): no floating point, so no floating-point leaks.
/// </summary>
public static class DiscreteLaplace
{
    /// <summary>
    /// Noise for an epsilon-DP count of sensitivity 1: scale 1/epsilon. Epsilon is exact (a decimal),
    /// so the scale is the exact fraction q/p for epsilon = p/q.
    /// </summary>
    public static long SampleForEpsilon(decimal epsilon, IRandomSource random)
    {
        if (epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "Epsilon must be positive.");
        }

        var (numerator, denominator) = ToFraction(epsilon);
        return Sample(denominator, numerator, random);
    }

    /// <summary>
    /// A sample from the discrete Laplace distribution with scale
    /// <paramref name="scaleNumerator"/>/<paramref name="scaleDenominator"/>.
    /// </summary>
    public static long Sample(long scaleNumerator, long scaleDenominator, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleNumerator, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleDenominator, 1);
        ArgumentNullException.ThrowIfNull(random);

        // CKS algorithm 2 with scale t/s.
        var t = scaleNumerator;
        var s = scaleDenominator;
        while (true)
        {
            var u = random.NextInt64(t);
            if (!BernoulliExp(u, t, random))
            {
                continue;
            }

            long v = 0;
            while (BernoulliExp(1, 1, random))
            {
                v++;
            }

            var x = u + (t * v);
            var y = x / s;
            var negative = random.NextInt64(2) == 1;
            if (negative && y == 0)
            {
                continue;
            }

            return negative ? -y : y;
        }
    }

    /// <summary>Bernoulli(exp(−n/d)) for n ≥ 0, exactly.</summary>
    public static bool BernoulliExp(long n, long d, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentNullException.ThrowIfNull(random);
        while (n > d)
        {
            if (!BernoulliExpAtMostOne(1, 1, random))
            {
                return false;
            }

            n -= d;
        }

        return BernoulliExpAtMostOne(n, d, random);
    }

    // Bernoulli(exp(−γ)) for γ = n/d in [0, 1]: K counts successes of Bernoulli(γ/k); the result is K odd.
    private static bool BernoulliExpAtMostOne(long n, long d, IRandomSource random)
    {
        long k = 1;
        while (true)
        {
            // Bernoulli(n / (d·k)) with an exact uniform draw.
            var denominator = checked(d * k);
            if (random.NextInt64(denominator) >= n)
            {
                break;
            }

            k++;
        }

        return k % 2 == 1;
    }

    private static (long Numerator, long Denominator) ToFraction(decimal value)
    {
        long denominator = 1;
        while (decimal.Truncate(value) != value)
        {
            value *= 10;
            denominator *= 10;
        }

        var numerator = (long)value;
        var gcd = Gcd(numerator, denominator);
        return (numerator / gcd, denominator / gcd);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
