namespace Commons.Learning;

/// <summary>Draws from Beta and Gamma distributions (Marsaglia and Tsang's method for Gamma).</summary>
public static class BetaSampler
{
    /// <summary>One draw from Beta(<paramref name="alpha"/>, <paramref name="beta"/>).</summary>
    public static double Sample(Random random, double alpha, double beta)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = Gamma(random, alpha);
        var y = Gamma(random, beta);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /// <summary>One draw from Gamma(<paramref name="shape"/>, 1).</summary>
    public static double Gamma(Random random, double shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape);
        if (shape < 1)
        {
            // Gamma(a) = Gamma(a + 1) * U^(1/a) keeps the fast method valid for small shapes.
            return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random)
    {
        // Box–Muller; one of the pair is enough here.
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
