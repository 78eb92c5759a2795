using Commons.Abstractions.Pools;
using Commons.Community.Pooling;

namespace Commons.Community.Grains;

/// <summary>
/// Serving: a group qualifies when k reputable members back it, with the robust aggregate of their
/// live evidence; contributors' reputations are cached for a short while.
/// </summary>
public sealed partial class InsightPoolGrain
{
    /// <summary>A group as served: its founder's text with the robust aggregate of its live evidence, or null below k.</summary>
    private async ValueTask<PoolInsight?> ServeAsync(PoolGroup group)
    {
        var now = time.GetUtcNow();
        if (_servedCache.TryGetValue(group, out var cached) && cached.Generation == group.Generation
            && now - cached.At <= ReputationTtl && now < cached.FirstExpiry)
        {
            return cached.Insight;
        }

        var generation = group.Generation;
        var live = group.Latest.Values.Where(e => e.Artifact.Expires > now && !IsWithdrawn(e)).ToList();
        var insight = live.Count < _options.K ? null : await AggregateAsync(group, live);
        // Worked out for the generation it started from: a change meanwhile makes it stale at once.
        _servedCache[group] = new ServedGroup(insight, generation, now, live.Count == 0 ? DateTimeOffset.MaxValue : live.Min(e => e.Artifact.Expires));

        return insight;
    }

    private async Task<PoolInsight?> AggregateAsync(PoolGroup group, List<PoolEntry> live)
    {
        var reputations = await ReputationsAsync(live);
        var aggregate = Aggregate(live, reputations);
        var reputable = live.Count(e => reputations[e.Artifact.Contributor].CountsTowardK);
        if (aggregate.Contributors < _options.K || reputable < _options.K)
        {
            return null;
        }

        var founder = group.Founder.Artifact;
        return new PoolInsight(group.Id, Topic, founder.Situation, founder.Advice, founder.Action, aggregate.Contributors,
            aggregate.Quarantined, aggregate.SuccessRate, aggregate.Successes, aggregate.Failures, 1, founder.Json);
    }

    /// <summary>The pool's standing rule, as contributors' grains apply it (made once per activation).</summary>
    private StandingPolicy Standing => _standing ??= _options.Standing();

    /// <summary>A contributor's reputation as cached, if it is fresh (fetched within <see cref="ReputationTtl"/>).</summary>
    private bool TryCachedReputation(string contributor, DateTimeOffset now, out ContributorReputation reputation)
    {
        var fresh = _reputations.TryGetValue(contributor, out var known) && now - known.At <= ReputationTtl;
        reputation = fresh ? known.Reputation : null!;
        return fresh;
    }

    /// <summary>One contributor's reputation, from the same cache as <see cref="ReputationsAsync"/>.</summary>
    private async ValueTask<ContributorReputation> ReputationAsync(string contributor, DateTimeOffset now)
    {
        if (TryCachedReputation(contributor, now, out var cached))
        {
            return cached;
        }

        var fetched = await GrainFactory.GetGrain<IContributorGrain>(contributor).GetReputationAsync(Standing);
        _reputations[contributor] = (fetched, now);
        return fetched;
    }

    /// <summary>
    /// The reputation of each contributor of <paramref name="latest"/>, from a cache refreshed every
    /// <see cref="ReputationTtl"/>; a snapshot, so that an outcome report arriving meanwhile (this grain
    /// is reentrant) cannot take an entry away from under the caller.
    /// </summary>
    private async Task<Dictionary<string, ContributorReputation>> ReputationsAsync(List<PoolEntry> latest)
    {
        var now = time.GetUtcNow();
        var snapshot = new Dictionary<string, ContributorReputation>(StringComparer.Ordinal);
        var stale = new List<string>();
        foreach (var contributor in latest.Select(e => e.Artifact.Contributor))
        {
            if (TryCachedReputation(contributor, now, out var cached))
            {
                snapshot[contributor] = cached;
            }
            else
            {
                stale.Add(contributor);
            }
        }

        if (stale.Count > 0)
        {
            var fetched = await Task.WhenAll(stale.Select(c => GrainFactory.GetGrain<IContributorGrain>(c).GetReputationAsync(Standing)));
            for (var i = 0; i < stale.Count; i++)
            {
                _reputations[stale[i]] = (fetched[i], now);
                snapshot[stale[i]] = fetched[i];
            }
        }

        return snapshot;
    }

    private AggregateResult Aggregate(List<PoolEntry> latest, Dictionary<string, ContributorReputation> reputations)
    {
        var evidence = latest.Select(e => new ContributorEvidence(e.Artifact.Contributor, e.Artifact.Successes, e.Artifact.Failures,
            2 * reputations[e.Artifact.Contributor].Share)).ToList();
        return RobustAggregator.Aggregate(evidence, new AggregationSettings(_options.CapPerContributor, _options.TrimFraction,
            _options.Aggregation == "median", _options.OutlierDistance));
    }

    private sealed record ServedGroup(PoolInsight? Insight, int Generation, DateTimeOffset At, DateTimeOffset FirstExpiry);
}
