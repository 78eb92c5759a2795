using Commons.Privacy.Noise;

namespace Commons.Privacy.Tests;

public sealed class DiscreteLaplaceTests
{
    [Theory]
    [InlineData("0.5")]
    [InlineData("1")]
    [InlineData("0.1")]
    public void SampleForEpsilon_ManySamples_MeanNearZeroAndVarianceAsTheory(string epsilonText)
    {
        var epsilon = decimal.Parse(epsilonText, System.Globalization.CultureInfo.InvariantCulture);
        var random = new SeededRandomSource(42);
        const int n = 40_000;
        var samples = Enumerable.Range(0, n).Select(_ => (double)DiscreteLaplace.SampleForEpsilon(epsilon, random)).ToArray();

        var mean = samples.Average();
        var variance = samples.Select(x => (x - mean) * (x - mean)).Sum() / (n - 1);

        // Discrete Laplace with scale 1/ε: Var = 2·e^−ε / (1 − e^−ε)².
        var b = Math.Exp(-(double)epsilon);
        var expected = 2 * b / ((1 - b) * (1 - b));
        Assert.InRange(mean, -5 * Math.Sqrt(expected / n), 5 * Math.Sqrt(expected / n));
        Assert.InRange(variance, expected * 0.9, expected * 1.1);
    }

    [Fact]
    public void SampleForEpsilon_SmallValues_FollowTheMassFunction()
    {
        var random = new SeededRandomSource(7);
        const int n = 40_000;
        var counts = Enumerable.Range(0, n).Select(_ => DiscreteLaplace.SampleForEpsilon(1m, random)).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());

        // P(0) = (1 − e^−1)/(1 + e^−1), P(±1) = P(0)·e^−1.
        var p0 = (1 - Math.Exp(-1)) / (1 + Math.Exp(-1));
        Assert.InRange(counts[0] / (double)n, p0 - 0.015, p0 + 0.015);
        Assert.InRange(counts[1] / (double)n, p0 * Math.Exp(-1) - 0.015, p0 * Math.Exp(-1) + 0.015);
        Assert.InRange(counts[-1] / (double)n, p0 * Math.Exp(-1) - 0.015, p0 * Math.Exp(-1) + 0.015);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    public void BernoulliExp_ManyDraws_HasProbabilityExpMinusGamma(long n, long d)
    {
        var random = new SeededRandomSource(3);
        const int draws = 40_000;

        var share = Enumerable.Range(0, draws).Count(_ => DiscreteLaplace.BernoulliExp(n, d, random)) / (double)draws;

        var expected = Math.Exp(-(double)n / d);
        Assert.InRange(share, expected - 0.012, expected + 0.012);
    }

    [Fact]
    public void SampleForEpsilon_CryptoSource_ReturnsIntegersAroundZero()
    {
        var samples = Enumerable.Range(0, 2000).Select(_ => DiscreteLaplace.SampleForEpsilon(0.5m, CryptoRandomSource.Instance)).ToArray();

        Assert.Contains(samples, s => s > 0);
        Assert.Contains(samples, s => s < 0);
        Assert.Contains(0L, samples);
    }

    [Fact]
    public void SampleForEpsilon_ZeroEpsilon_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteLaplace.SampleForEpsilon(0m, CryptoRandomSource.Instance));
    }
}
