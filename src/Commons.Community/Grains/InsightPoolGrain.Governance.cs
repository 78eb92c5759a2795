using Commons.Abstractions.Pools;
using Commons.Community.Service;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Grains;

/// <summary>
/// Withdrawals in a topic: artifacts a moderator removed or their contributor erased. A withdrawn
/// artifact counts toward no group's k, is not served in any wording and is not relayed to peers;
/// the groups it backed are aggregated again from what is left. The withdrawn ids are in the pool's
/// database (<see cref="GovernanceStore"/>) and are read again when the grain activates.
/// </summary>
public sealed partial class InsightPoolGrain : IInsightPoolGovernance
{
    private readonly HashSet<string> _withdrawn = new(StringComparer.Ordinal);
    // Texts of which at least one artifact was withdrawn: only their wordings need a closer look.
    private readonly HashSet<string> _withdrawnTexts = new(StringComparer.Ordinal);
    // Texts a moderator removed: withdrawn whoever publishes them, now or later.
    private readonly HashSet<string> _removedTexts = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ArtifactRef>> ResolveAsync(string insightId)
    {
        ArgumentNullException.ThrowIfNull(insightId);
        await EnsureGroupedAsync();
        IEnumerable<PoolEntry> entries;
        if (_wordings.TryGetValue(insightId, out var known))
        {
            entries = _log.Where(e => !IsReport(e) && e.Normalised == known.Wording.Normalised);
        }
        else if (_groupById.TryGetValue(insightId, out var group))
        {
            entries = _log.Where(e => !IsReport(e) && _groupByText.TryGetValue(e.Normalised, out var g) && g == group);
        }
        else
        {
            entries = _byId.TryGetValue(insightId, out var one) ? [one] : [];
        }

        return entries.Select(e => new ArtifactRef(e.Artifact.Id, e.Artifact.Contributor)).ToList();
    }

    public Task<IReadOnlyList<string>> ArtifactsOfAsync(string contributor) =>
        Task.FromResult<IReadOnlyList<string>>(_log.Where(e => e.Artifact.Contributor == contributor).Select(e => e.Artifact.Id).ToList());

    public async Task<WithdrawalResult> WithdrawAsync(IReadOnlyList<string> artifactIds, string? onlyBy, bool removeWords = false)
    {
        ArgumentNullException.ThrowIfNull(artifactIds);
        await EnsureGroupedAsync();
        var entries = artifactIds.Select(id => _byId.GetValueOrDefault(id))
            .OfType<PoolEntry>()
            .Where(e => onlyBy is null || e.Artifact.Contributor == onlyBy)
            .Where(e => !_withdrawn.Contains(e.Artifact.Id))
            .ToList();
        var groups = entries.Select(e => _groupByText.GetValueOrDefault(e.Normalised)).OfType<PoolGroup>().Distinct().ToList();
        var servedBefore = new HashSet<PoolGroup>();
        foreach (var group in groups)
        {
            if (await ServeAsync(group) is not null)
            {
                servedBefore.Add(group);
            }
        }

        Withdraw(entries.Select(e => e.Artifact.Id), removeWords);
        var stopped = 0;
        foreach (var group in servedBefore)
        {
            if (await ServeAsync(group) is null)
            {
                stopped++;
            }
        }

        return new WithdrawalResult(entries.Select(e => e.Artifact.Id).ToList(), groups.Count, stopped);
    }

    /// <summary>Reads this topic's withdrawn ids (once the log is loaded, before grouping).</summary>
    private async Task LoadWithdrawalsAsync()
    {
        if (ServiceProvider.GetService<GovernanceStore>() is { } store)
        {
            foreach (var kind in (await store.WithdrawnIdsAsync(Topic)).GroupBy(w => w.Kind))
            {
                Withdraw(kind.Select(w => w.Id), kind.Key == GovernanceStore.Removal);
            }
        }
    }

    private void Withdraw(IEnumerable<string> ids, bool removeWords)
    {
        foreach (var id in ids)
        {
            if (!_withdrawn.Add(id) || !_byId.TryGetValue(id, out var entry))
            {
                continue;
            }

            _withdrawnTexts.Add(entry.Normalised);
            if (removeWords)
            {
                _removedTexts.Add(entry.Normalised);
            }

            if (_groupByText.TryGetValue(entry.Normalised, out var group))
            {
                // What the group serves changed: its cached form is stale.
                group.Generation++;
            }
        }
    }

    private bool IsWithdrawn(PoolEntry entry) =>
        (_withdrawn.Count > 0 && _withdrawn.Contains(entry.Artifact.Id)) || (_removedTexts.Count > 0 && _removedTexts.Contains(entry.Normalised));

    /// <summary>A wording is withdrawn when a moderator removed its words, or every artifact that says it is withdrawn.</summary>
    private bool IsWithdrawnWording(PoolEntry wording) =>
        _withdrawnTexts.Contains(wording.Normalised)
        && (_removedTexts.Contains(wording.Normalised) || _log.All(e => e.Normalised != wording.Normalised || IsReport(e) || _withdrawn.Contains(e.Artifact.Id)));
}
