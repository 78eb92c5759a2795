using Commons.Community.Pooling;

namespace Commons.Community.Tests;

public sealed class RobustAggregatorTests
{
    private static readonly AggregationSettings TrimmedMean = new(100, 0.2, false, 0.35);

    [Fact]
    public void Aggregate_OneContributorWithHugeCounts_IsCappedAndQuarantined()
    {
        var evidence = new List<ContributorEvidence>
        {
            new("a", 3, 7, 1), new("b", 2, 8, 1), new("c", 3, 7, 1), new("d", 2, 8, 1),
            new("poisoner", 1_000_000_000, 0, 1),
        };

        var result = RobustAggregator.Aggregate(evidence, TrimmedMean);

        Assert.Equal(1, result.Quarantined);
        Assert.InRange(result.SuccessRate, 0.2, 0.35);
        Assert.True(result.Successes + result.Failures <= 40);
    }

    [Fact]
    public void Aggregate_Median_IgnoresExtremes()
    {
        var evidence = new List<ContributorEvidence> { new("a", 0, 100, 1), new("b", 50, 50, 1), new("c", 100, 0, 1) };

        var result = RobustAggregator.Aggregate(evidence, TrimmedMean with { Median = true, OutlierDistance = 1 });

        Assert.InRange(result.SuccessRate, 0.49, 0.51);
    }

    [Fact]
    public void Aggregate_LowReputationContributor_CountsLess()
    {
        var even = RobustAggregator.Aggregate([new("a", 9, 1, 1), new("b", 1, 9, 1)], TrimmedMean with { TrimFraction = 0 });
        var distrusted = RobustAggregator.Aggregate([new("a", 9, 1, 0.2), new("b", 1, 9, 1)], TrimmedMean with { TrimFraction = 0 });

        Assert.True(distrusted.SuccessRate < even.SuccessRate);
    }
}
