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

        Assert.Equal(4.0 / 6, RandomizedResponse.Posterior(bits).Mean, 3);
        Assert.Equal(0.5, RandomizedResponse.Posterior([]).Mean, 3);
    }

    [Fact]
    public void PosteriorMean_AFewFlippedBitsAtEpsilonOne_DoNotSinkAShare_WhileMostlyZerosDo()
    {
        // Two zeros at epsilon 1 (each flipped with probability 0.27) say little. Twenty bits, fifteen of
        // them zero, say "mostly unhelpful".
        var twoZeros = Enumerable.Repeat((false, (double?)1.0), 2).ToList();
        var mostlyZeros = Enumerable.Repeat((false, (double?)1.0), 15).Concat(Enumerable.Repeat((true, (double?)1.0), 5)).ToList();

        Assert.InRange(RandomizedResponse.Posterior(twoZeros).Mean, 0.34, 0.37);
        Assert.InRange(RandomizedResponse.Posterior(mostlyZeros).Mean, 0.0, 0.3);
    }

    [Fact]
    public void PosteriorMean_ManyBitsAtEpsilonOne_FindTheTrueShare()
    {
        var random = new SeededRandomSource(5);
        var bits = Enumerable.Range(0, 4000).Select(i => (RandomizedResponse.Respond(i % 5 != 0, 1.0, random), (double?)1.0)).ToList();

        Assert.Equal(0.8, RandomizedResponse.Posterior(bits).Mean, 1);
    }

    [Fact]
    public void PosteriorProbabilityBelow_GrowsWithAgreeingBits_AndRandomisedBitsSayLessThanExactOnes()
    {
        static List<(bool, double?)> Zeros(int n, double? epsilon) => Enumerable.Repeat((false, epsilon), n).ToList();

        // Exact bits: Beta(1, 1 + zeros), so P(share < 1/2) = 1 - 2^-(zeros + 1).
        Assert.InRange(RandomizedResponse.Posterior([]).ProbabilityBelow(0.5), 0.49, 0.51);
        Assert.InRange(RandomizedResponse.Posterior(Zeros(2, null)).ProbabilityBelow(0.5), 0.865, 0.885);
        Assert.InRange(RandomizedResponse.Posterior(Zeros(3, null)).ProbabilityBelow(0.5), 0.93, 0.945);
        // At epsilon 1 three zeros leave the share in doubt (about 80%); six make one 93% sure.
        Assert.InRange(RandomizedResponse.Posterior(Zeros(3, 1.0)).ProbabilityBelow(0.5), 0.78, 0.81);
        Assert.InRange(RandomizedResponse.Posterior(Zeros(6, 1.0)).ProbabilityBelow(0.5), 0.92, 0.94);
        // Mixed bits never make one sure the share is low, however many there are.
        var mixed = Zeros(50, 1.0).Concat(Enumerable.Repeat((true, (double?)1.0), 50)).ToList();
        Assert.InRange(RandomizedResponse.Posterior(mixed).ProbabilityBelow(0.5), 0.4, 0.6);
    }
}
