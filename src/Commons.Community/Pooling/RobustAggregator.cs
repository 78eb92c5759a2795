namespace Commons.Community.Pooling;

/// <summary>
/// Aggregates a group's evidence so that no single member can move it much: each contributor counts
/// once with at most <c>CapPerContributor</c> trials, contributors far from the median are
/// quarantined, and the rest are combined by a reputation-weighted trimmed mean (or median).
/// </summary>
public static class RobustAggregator
{
    public static AggregateResult Aggregate(IReadOnlyList<ContributorEvidence> evidence, AggregationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(settings);
        if (evidence.Count == 0)
        {
            return AggregateResult.Empty;
        }

        var votes = evidence.Select(e =>
        {
            double s = e.Successes, f = e.Failures, n = s + f;
            if (n > settings.CapPerContributor)
            {
                s = s * settings.CapPerContributor / n;
                f = f * settings.CapPerContributor / n;
                n = settings.CapPerContributor;
            }

            // Laplace smoothing: one report of 1/0 is not certainty.
            return (Rate: (s + 1) / (n + 2), Trials: n, Weight: Math.Max(e.Weight, 1e-3));
        }).ToList();

        var median = WeightedMedian(votes.Select(v => (v.Rate, v.Weight)).ToList());
        var kept = votes;
        var quarantined = 0;
        if (votes.Count >= 3)
        {
            kept = votes.Where(v => Math.Abs(v.Rate - median) <= settings.OutlierDistance).ToList();
            quarantined = votes.Count - kept.Count;
        }

        double rate;
        if (settings.Median)
        {
            rate = WeightedMedian(kept.Select(v => (v.Rate, v.Weight)).ToList());
        }
        else
        {
            var sorted = kept.OrderBy(v => v.Rate).ToList();
            var trim = (int)Math.Floor(settings.TrimFraction * sorted.Count);
            var middle = sorted.Skip(trim).Take(sorted.Count - (2 * trim)).ToList();
            var weight = middle.Sum(v => v.Weight);
            rate = middle.Sum(v => v.Rate * v.Weight) / weight;
        }

        var trials = kept.Sum(v => v.Trials * Math.Min(v.Weight, 1));
        return new AggregateResult(kept.Count, quarantined, rate, rate * trials, (1 - rate) * trials);
    }

    private static double WeightedMedian(List<(double Rate, double Weight)> values)
    {
        var sorted = values.OrderBy(v => v.Rate).ToList();
        var half = sorted.Sum(v => v.Weight) / 2;
        var running = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            running += sorted[i].Weight;
            if (Math.Abs(running - half) < 1e-12 && i + 1 < sorted.Count)
            {
                return (sorted[i].Rate + sorted[i + 1].Rate) / 2;
            }

            if (running > half)
            {
                return sorted[i].Rate;
            }
        }

        return sorted[^1].Rate;
    }
}
