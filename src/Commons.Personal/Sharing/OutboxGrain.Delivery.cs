using Commons.Abstractions.Hosting;
using Commons.Abstractions.Sharing;
using Commons.Insights;
using Commons.Privacy.Policies;
using Commons.Pools.Client;
using Microsoft.Extensions.Logging;

namespace Commons.Personal.Sharing;

/// <summary>The outbox's delivery side: one copy of each approved artifact per pool, signed with that pool's member key.</summary>
public sealed partial class OutboxGrain
{
    public async Task<IReadOnlyList<ShareItem>> ListOutboxAsync() => await ReadyItemsAsync() ?? [];

    public async Task<IReadOnlyList<ShareDelivery>> ListDeliveriesAsync()
    {
        // Fail closed: nothing is handed out for delivery while the policies do not load.
        if (await ReadyItemsAsync() is not { } ready)
        {
            return [];
        }

        var pools = memberships.List(Owner);
        var joined = pools.Select(p => p.Url).ToHashSet(StringComparer.Ordinal);
        var changed = false;
        var deliveries = new List<ShareDelivery>();
        foreach (var item in ready)
        {
            var current = item;
            if (item.Automatic || item.Copies is null)
            {
                // Approved by the policy (or before any pool was joined): every pool joined since gets its copy too.
                var missing = pools.Where(p => item.Copies?.Any(c => c.Pool == p.Url) != true).ToList();
                if (missing.Count > 0 && SignFor(item, missing, out _) is { Count: > 0 } added)
                {
                    current = item with { Copies = [.. item.Copies ?? [], .. added] };
                    Replace(item, current);
                    changed = true;
                }
            }

            deliveries.AddRange((current.Copies ?? [])
                .Where(c => c.State == ShareCopyState.Waiting && joined.Contains(c.Pool))
                .Select(c => new ShareDelivery(current.Id, c.Pool, c.Json)));
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        return deliveries;
    }

    public async Task<bool> RecordDeliveryAsync(string pool, string itemId, bool delivered, string? reason)
    {
        var item = state.State.Items.Find(i => i.State == ShareItemState.ReadyToDeliver && i.Id == itemId);
        var copy = item?.Copies?.FirstOrDefault(c => c.Pool == pool && c.State == ShareCopyState.Waiting);
        if (item is null || copy is null)
        {
            return false;
        }

        var copies = item.Copies!.Select(c => c == copy ? c with { State = delivered ? ShareCopyState.Delivered : ShareCopyState.Refused, Reason = reason } : c).ToList();
        var counts = state.State.PoolCounts.GetValueOrDefault(pool) ?? new PoolCountRecord();
        state.State.PoolCounts[pool] = delivered ? counts with { Delivered = counts.Delivered + 1 } : counts with { Refused = counts.Refused + 1 };
        var updated = item with { Copies = copies };
        if (copies.All(c => c.State != ShareCopyState.Waiting))
        {
            // Done with: "delivered" counts it only when some pool took it (every pool's refusal is in its own count).
            updated = updated with { State = ShareItemState.Delivered };
            if (copies.Any(c => c.State == ShareCopyState.Delivered))
            {
                state.State.DeliveredCount++;
            }
        }

        Replace(item, updated);
        PruneDelivered();
        await state.WriteStateAsync();
        LogDelivery(logger, delivered ? "delivered" : "refused");
        return true;
    }

    /// <summary>Approved artifacts still made under the current policy (stale ones are dropped, to be prepared again); null when the policies do not load.</summary>
    private async Task<List<ShareItem>?> ReadyItemsAsync()
    {
        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException)
        {
            LogRefused(logger, "policy");
            return null;
        }

        var now = time.GetUtcNow();
        var ready = state.State.Items.Where(i => i.State == ShareItemState.ReadyToDeliver).ToList();
        var stale = ready.Where(i => InsightArtifactParser.Parse(i.Json, now) is not { IsValid: true } parsed || parsed.Artifact.Policy.Hash != policy.Hash).ToList();
        foreach (var item in stale)
        {
            // Made under other rules (or expired): prepared again under the current ones.
            state.State.Items.Remove(item);
            state.State.Sources.Remove(item.Source);
        }

        if (stale.Count > 0)
        {
            await state.WriteStateAsync();
        }

        return ready.Except(stale).ToList();
    }

    /// <summary>The item signed for every joined pool (exactly what each would receive); <paramref name="problem"/> names a pool whose key cannot be used.</summary>
    private List<ShareCopy> SignForPools(ShareItem item, out string? problem) => SignFor(item, memberships.List(Owner), out problem);

    private List<ShareCopy> SignFor(ShareItem item, IReadOnlyList<PoolMembership> pools, out string? problem)
    {
        problem = null;
        var copies = new List<ShareCopy>();
        if (pools.Count == 0 || InsightArtifactParser.Parse(item.Json).Artifact is not { } artifact)
        {
            return copies;
        }

        var draft = new InsightDraft(artifact.Kind, artifact.Topic, artifact.Situation, artifact.Advice, artifact.Action,
            artifact.Evidence, artifact.Policy, artifact.Created, artifact.Expires);
        foreach (var pool in pools)
        {
            try
            {
                using var key = memberships.KeyOf(Owner, pool);
                copies.Add(new ShareCopy(pool.Url, InsightSigner.Sign(draft, key).ToJson(), ShareCopyState.Waiting));
            }
            catch (CommonsException ex)
            {
                problem ??= ex.Message;
            }
        }

        return copies;
    }

    private void PruneDelivered()
    {
        var delivered = state.State.Items.Where(i => i.State == ShareItemState.Delivered).ToList();
        foreach (var old in delivered.Take(Math.Max(0, delivered.Count - DeliveredKept)))
        {
            state.State.Items.Remove(old);
        }
    }

    /// <summary>What went to each pool joined now (or ever sent to): acknowledged, waiting, refused, and reports.</summary>
    private List<PoolDeliveryCount> PoolCounts()
    {
        var pools = memberships.List(Owner).Select(p => p.Url).Concat(state.State.PoolCounts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var waiting = state.State.Items.Where(i => i.State == ShareItemState.ReadyToDeliver).ToList();
        return pools.Select(pool =>
        {
            var counts = state.State.PoolCounts.GetValueOrDefault(pool) ?? new PoolCountRecord();
            var copiesWaiting = waiting.Count(i => i.Copies?.Any(c => c.Pool == pool && c.State == ShareCopyState.Waiting) == true
                || ((i.Automatic || i.Copies is null) && i.Copies?.Any(c => c.Pool == pool) != true));
            return new PoolDeliveryCount(pool, counts.Delivered, copiesWaiting, counts.Refused, counts.ReportsSent, state.State.Reports.Count(r => r.Pool == pool));
        }).ToList();
    }

    private string Owner => this.GetPrimaryKeyString();

    [LoggerMessage(Level = LogLevel.Debug, Message = "A copy of a shared artifact was {Outcome} by its pool.")]
    private static partial void LogDelivery(ILogger logger, string outcome);
}
