using Commons.Abstractions.Pools;
using Commons.Community.Hosting;

namespace Commons.Community.Service;

/// <summary>
/// Every withdrawal the pool makes (an admin's removal, a member's erasure, either relayed from a
/// peer) goes through here: the topic withdraws the artifacts, PostgreSQL records them for topics that
/// activate later and for peers, and the <c>withdrawn</c> metric counts each artifact once, when it is
/// withdrawn (not each time a member asks about it, nor again when a peer relays it back).
/// </summary>
public sealed class PoolWithdrawals(IGrainFactory grains, GovernanceStore store, PoolMetrics? metrics = null)
{
    /// <summary>Withdraws <paramref name="ids"/> from <paramref name="topic"/> (only those <paramref name="onlyBy"/> signed, when given).</summary>
    public async Task<WithdrawalResult> WithdrawAsync(string topic, IReadOnlyList<string> ids, string kind, string statement, string? onlyBy = null)
    {
        var result = await grains.GetGrain<IInsightPoolGovernance>(topic).WithdrawAsync(ids, onlyBy, removeWords: kind == GovernanceStore.Removal).ConfigureAwait(false);
        // Recorded after the grain withdrew them: a grain that activates later reads them from here.
        await store.RecordWithdrawalsAsync(topic, result.Withdrawn, kind, statement).ConfigureAwait(false);
        // The grain returns only what it withdrew now, so nothing withdrawn before is counted again.
        metrics?.Withdrawn(kind, result.Withdrawn.Count);
        return result;
    }
}
