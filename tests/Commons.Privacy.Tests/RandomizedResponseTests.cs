using Commons.Privacy.Noise;

namespace Commons.Privacy.Tests;

/// <summary>One bit through randomised response: kept at the rate epsilon allows, and estimable again over many.</summary>
public sealed class RandomizedResponseTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Respond_ManyTrueBits_AreKeptAtTheRateEpsilonAllows_AndDebiasRecoversTheTruth(double epsilon)
    {
        var random = new SeededRandomSource(11);
        const int n = 40_000;
        var truths = Enumerable.Range(0, n).Select(i => i % 10 < 7).ToList();

        var reported = truths.Select(t => RandomizedResponse.Respond(t, epsilon, random)).ToList();

        var kept = truths.Zip(reported).Count(p => p.First == p.Second) / (double)n;
        Assert.Equal(Math.Exp(epsilon) / (1 + Math.Exp(epsilon)), kept, 2);
        // 70 % were true; the pool sees a noisier share but can estimate 70 % back.
        var share = reported.Count(b => b) / (double)n;
        Assert.NotEqual(0.7, share, 2);
        Assert.Equal(0.7, RandomizedResponse.Debias(share, epsilon), 1);
    }

    [Fact]
    public void Weight_NoisyBitsCountForLess_ExactOnesFully()
    {
        Assert.InRange(RandomizedResponse.Weight(1), 0.26, 0.28);
        Assert.InRange(RandomizedResponse.Weight(0.5), 0.06, 0.07);
        Assert.Equal(1, RandomizedResponse.Weight(8));
        Assert.Equal(1, RandomizedResponse.Weight(double.PositiveInfinity));
    }
}
