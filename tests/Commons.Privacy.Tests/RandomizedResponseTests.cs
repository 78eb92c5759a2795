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
    public void PosteriorMean_ExactBits_AreTheBetaOneOneMean()
    {
        var bits = new (bool, double?)[] { (true, null), (true, null), (true, null), (false, null) };

        Assert.Equal(4.0 / 6, RandomizedResponse.PosteriorMean(bits), 3);
        Assert.Equal(0.5, RandomizedResponse.PosteriorMean([]), 3);
    }

    [Fact]
    public void PosteriorMean_AFewFlippedBitsAtEpsilonOne_DoNotSinkAShare_WhileMostlyZerosDo()
    {
        // Two zeros at epsilon 1 (each flipped with probability 0.27) say little: the estimate stays
        // well above the 0.3 a pool serves from. Twenty bits, fifteen of them zero, say "mostly unhelpful".
        var twoZeros = Enumerable.Repeat((false, (double?)1.0), 2).ToList();
        var mostlyZeros = Enumerable.Repeat((false, (double?)1.0), 15).Concat(Enumerable.Repeat((true, (double?)1.0), 5)).ToList();

        Assert.InRange(RandomizedResponse.PosteriorMean(twoZeros), 0.34, 0.37);
        Assert.InRange(RandomizedResponse.PosteriorMean(mostlyZeros), 0.0, 0.3);
    }

    [Fact]
    public void PosteriorMean_ManyBitsAtEpsilonOne_FindTheTrueShare()
    {
        var random = new SeededRandomSource(5);
        var bits = Enumerable.Range(0, 4000).Select(i => (RandomizedResponse.Respond(i % 5 != 0, 1.0, random), (double?)1.0)).ToList();

        Assert.Equal(0.8, RandomizedResponse.PosteriorMean(bits), 1);
    }
}
