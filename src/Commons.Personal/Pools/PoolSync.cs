using System.Collections.Concurrent;
using System.Text;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;
using Commons.Privacy.Policies;
using Commons.Pools.Client;
using Microsoft.Extensions.Logging;

namespace Commons.Personal.Pools;

/// <summary>
/// The one path between a person's agent and its pools: approved artifacts leave from the outbox (each
/// pool its own copy, signed with the key it admitted), trial reports leave as randomised-response
/// bits, and what pools serve comes back to be staged and verified, with withdrawals applied. The
/// background worker, <c>commons pool push|pull</c> and the benchmark all call this.
/// </summary>
public sealed partial class PoolSync(
    IGrainFactory grains,
    IPoolMemberships memberships,
    IPoolTransportFactory transports,
    IServedArtifactCheck check,
    PolicyProvider policies,
    ILogger<PoolSync> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PoolSyncRun> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Owner, string Pool), PoolSyncResult> _totals = new();

    /// <summary>What syncs did with one pool of <paramref name="owner"/>'s since this process started, added up (null before the first).</summary>
    public PoolSyncResult? SessionTotals(string owner, string pool) => _totals.GetValueOrDefault((owner, pool));

    /// <summary>When <paramref name="owner"/>'s last sync ended and what it did with each pool (null before the first).</summary>
    public PoolSyncRun? LastRun(string owner) => _last.GetValueOrDefault(owner);

    /// <summary>
    /// Syncs <paramref name="owner"/>'s agent with every pool it joined. <paramref name="topics"/> are
    /// what to pull (default: the sharing policy's topics). One sync per owner at a time.
    /// </summary>
    public async Task<IReadOnlyList<PoolSyncResult>> SyncAsync(string owner, PoolSyncSteps steps, IReadOnlyList<string>? topics = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var gate = _gates.GetOrAdd(owner, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<PoolSyncResult> results;
            try
            {
                results = await RunAsync(owner, steps, topics, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The outbox or the playbook failed before any pool was reached: every pool hears of it next time.
                LogPoolFailed(logger, ex);
                var problem = $"the sync failed before reaching the pools ({ex.Message.TrimEnd('.')}); it is tried again at the next sync";
                results = memberships.List(owner).Select(m => new PoolSyncResult(m.Url, 0, 0, 0, 0, 0, 0, 0, 0, [], problem, null)).ToList();
            }

            _last[owner] = new PoolSyncRun(DateTimeOffset.UtcNow, steps, results);
            foreach (var result in results)
            {
                _totals.AddOrUpdate((owner, result.Pool), result, (_, sum) => sum with
                {
                    Delivered = sum.Delivered + result.Delivered,
                    Refused = sum.Refused + result.Refused,
                    ReportsSent = sum.ReportsSent + result.ReportsSent,
                    Staged = sum.Staged + result.Staged,
                    Unverifiable = sum.Unverifiable + result.Unverifiable,
                    Withdrawn = sum.Withdrawn + result.Withdrawn,
                    Waiting = result.Waiting,
                    ReportsWaiting = result.ReportsWaiting,
                    Problem = result.Problem,
                });
            }

            return results;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<PoolSyncResult>> RunAsync(string owner, PoolSyncSteps steps, IReadOnlyList<string>? topics, CancellationToken cancellationToken)
    {
        var pools = memberships.List(owner);
        if (pools.Count == 0)
        {
            return [];
        }

        var outbox = grains.GetGrain<IOutboxGrain>(owner);
        if (steps.HasFlag(PoolSyncSteps.Prepare))
        {
            // A refusal of everything (the policies do not load) leaves nothing to deliver: the outbox fails closed.
            await outbox.PrepareAsync().ConfigureAwait(false);
        }

        var deliveries = steps.HasFlag(PoolSyncSteps.Deliver) ? await outbox.ListDeliveriesAsync().ConfigureAwait(false) : [];
        var reports = steps.HasFlag(PoolSyncSteps.Report) ? await outbox.ListReportsAsync().ConfigureAwait(false) : [];
        var results = new List<PoolSyncResult>(pools.Count);
        foreach (var membership in pools)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var round = new Round(membership.Url);
            try
            {
                using var key = memberships.KeyOf(owner, membership);
                var transport = transports.Open(membership, key);
                var current = membership;
                var toDeliver = deliveries.Where(d => d.Pool == membership.Url).ToList();
                var toReport = reports.Where(r => r.Pool == membership.Url).ToList();
                if (await DeliverAsync(outbox, transport, membership, round, toDeliver, cancellationToken).ConfigureAwait(false)
                    && await ReportAsync(outbox, transport, round, toReport, cancellationToken).ConfigureAwait(false))
                {
                    if (steps.HasFlag(PoolSyncSteps.Pull))
                    {
                        current = await PullAsync(owner, current, transport, round, topics, cancellationToken).ConfigureAwait(false);
                    }
                    else if (toDeliver.Count == 0 && toReport.Count == 0)
                    {
                        // Nothing to send asked nothing of the pool: a push still says whether the pool can be reached.
                        await ReachAsync(transport, round, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (round.Delivered > 0 || current != membership)
                {
                    memberships.Save(owner, current with { Sent = current.Sent + round.Delivered });
                }
            }
            catch (CommonsException ex)
            {
                round.Problem = ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One pool's failure is that pool's problem for this sync, shown with its result; the others still sync.
                LogPoolFailed(logger, ex);
                round.Problem = $"the sync with this pool failed ({ex.Message.TrimEnd('.')}); it is tried again at the next sync";
            }

            LogPoolSynced(logger, round.Delivered, round.Refused, round.ReportsSent, round.Staged, round.Withdrawn, round.Problem is not null);
            results.Add(round.ToResult());
        }

        return results;
    }

    /// <returns>False when the pool could not be reached (the rest waits for the next sync).</returns>
    private async Task<bool> DeliverAsync(IOutboxGrain outbox, IPoolTransport transport, PoolMembership membership, Round round, List<ShareDelivery> deliveries, CancellationToken cancellationToken)
    {
        var policy = deliveries.Count == 0 ? null : await PoolRulesAsync(transport, membership, round, deliveries.Count, cancellationToken).ConfigureAwait(false);
        if (policy is null && deliveries.Count > 0)
        {
            return false;
        }

        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            if (policy!.Refuse(delivery.Json) is { } refusal)
            {
                // The pool would refuse it (and count a violation): it does not leave.
                var reason = $"not delivered: {refusal.Reason}";
                await outbox.RecordDeliveryAsync(round.Pool, delivery.ItemId, delivered: false, reason).ConfigureAwait(false);
                round.Refused++;
                round.Refusals.Add(reason);
                continue;
            }

            try
            {
                await transport.PublishAsync(Encoding.UTF8.GetBytes(delivery.Json), cancellationToken).ConfigureAwait(false);
                if (await outbox.RecordDeliveryAsync(round.Pool, delivery.ItemId, delivered: true, null).ConfigureAwait(false))
                {
                    round.Delivered++;
                }
            }
            catch (PoolApiException ex) when (ex.IsPermanent)
            {
                await outbox.RecordDeliveryAsync(round.Pool, delivery.ItemId, delivered: false, ex.Message).ConfigureAwait(false);
                round.Refused++;
                round.Refusals.Add(ex.Message);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                round.Waiting = deliveries.Count - i;
                round.Problem = Unreachable(ex);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The pool's policy, read before each delivery: null (with the sync's problem set) when it cannot
    /// be read, is not signed by the pool's admin key, or the person's own policy does not load.
    /// </summary>
    private async Task<DeliveryRules?> PoolRulesAsync(IPoolTransport transport, PoolMembership membership, Round round, int waiting, CancellationToken cancellationToken)
    {
        try
        {
            var (policy, problem) = PoolPolicyCheck.Verified(await transport.GetPolicyAsync(cancellationToken).ConfigureAwait(false), membership.PoolKey);
            if (problem is not null)
            {
                round.Waiting = waiting;
                round.Problem = $"nothing was delivered: {problem}";
                return null;
            }

            // The person's own redaction matters only to predict a pool's policy: a pool without one takes what the outbox holds.
            return new DeliveryRules(policy, policy is null ? null : policies.GetCurrent().Redaction);
        }
        catch (PolicyLoadException ex)
        {
            round.Waiting = waiting;
            round.Problem = $"nothing was delivered: {ex.Message}";
            return null;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            round.Waiting = waiting;
            round.Problem = Unreachable(ex);
            return null;
        }
    }

    private async Task<bool> ReportAsync(IOutboxGrain outbox, IPoolTransport transport, Round round, List<QueuedReport> reports, CancellationToken cancellationToken)
    {
        List<string> sent = [], refused = [];
        try
        {
            for (var i = 0; i < reports.Count; i++)
            {
                var report = reports[i];
                try
                {
                    await transport.ReportOutcomeAsync(report.Topic, report.InsightId, report.Helpful, report.Epsilon, cancellationToken).ConfigureAwait(false);
                    round.ReportsSent++;
                    sent.Add(report.Id);
                }
                catch (PoolApiException ex) when (ex.IsPermanent)
                {
                    // The pool will never take this one (it no longer knows the insight, or has this vote): dropped, not counted as sent.
                    refused.Add(report.Id);
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken))
                {
                    round.ReportsWaiting = reports.Count - i;
                    round.Problem = Unreachable(ex);
                    return false;
                }
            }

            return true;
        }
        finally
        {
            await outbox.RemoveReportsAsync(sent, sent: true).ConfigureAwait(false);
            await outbox.RemoveReportsAsync(refused, sent: false).ConfigureAwait(false);
        }
    }

    private async Task<PoolMembership> PullAsync(string owner, PoolMembership membership, IPoolTransport transport, Round round, IReadOnlyList<string>? topics, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> wanted;
        try
        {
            wanted = topics ?? policies.GetCurrent().Sharing.Topics.Select(t => t.Id).ToList();
        }
        catch (PolicyLoadException ex)
        {
            round.Problem = $"nothing was pulled: {ex.Message}";
            return membership;
        }

        var playbook = grains.GetGrain<IPlaybookGrain>(owner);
        try
        {
            var pulled = await PoolInbox.PullAsync(transport, membership.Url, wanted, membership.Cursors,
                imports => playbook.StageImportsAsync(imports), check.Verify, cancellationToken).ConfigureAwait(false);
            round.Staged = pulled.Staged;
            round.Unverifiable = pulled.Refused;
            round.PullStoppedBecause = pulled.StoppedBecause;
            membership = membership with { Received = membership.Received + pulled.Staged, Cursors = pulled.Cursors };

            // Then what the pool has withdrawn of what is staged here, before it is tried on the owner.
            var gone = await PoolInbox.WithdrawnAsync(transport.WithdrawnAsync, await playbook.ListImportsAsync(membership.Url).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            round.Withdrawn = await playbook.WithdrawImportsAsync(membership.Url, gone).ConfigureAwait(false);
            if (pulled.Staged == 0 && pulled.Refused == 0 && pulled.StoppedBecause is null)
            {
                round.NothingStagedBecause = await PoolInbox.WhyNothingStagedAsync(wanted, pulled.Cursors, () => PoolKAsync(transport, cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is PoolApiException || IsTransient(ex, cancellationToken))
        {
            round.Problem = Unreachable(ex);
        }

        return membership;
    }

    /// <summary>The pool's k, to tell the person why nothing is served; null when the pool does not say (the pull itself went through).</summary>
    private static async Task<int?> PoolKAsync(IPoolTransport transport, CancellationToken cancellationToken)
    {
        try
        {
            return (await transport.GetPolicyAsync(cancellationToken).ConfigureAwait(false))?.K;
        }
        catch (Exception ex) when (ex is PoolApiException || IsTransient(ex, cancellationToken))
        {
            return null;
        }
    }

    private static async Task ReachAsync(IPoolTransport transport, Round round, CancellationToken cancellationToken)
    {
        try
        {
            await transport.GetMeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PoolApiException || IsTransient(ex, cancellationToken))
        {
            round.Problem = Unreachable(ex);
        }
    }

    /// <summary>Anything but the caller's own cancellation is the pool's (or the network's) passing failure: try again later.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private static string Unreachable(Exception ex) => ex is PoolApiException ? ex.Message : $"the pool could not be reached ({ex.Message.TrimEnd('.')}); it is tried again at the next sync";

    // The exception may quote a pool's answer: Debug.
    [LoggerMessage(Level = LogLevel.Debug, Message = "A pool's sync failed.")]
    private static partial void LogPoolFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool sync: {Delivered} delivered, {Refused} refused, {Reports} reports sent, {Staged} staged, {Withdrawn} withdrawn; stopped early: {Stopped}.")]
    private static partial void LogPoolSynced(ILogger logger, int delivered, int refused, int reports, int staged, int withdrawn, bool stopped);

    private sealed class Round(string pool)
    {
        public string Pool { get; } = pool;

        public int Delivered { get; set; }

        public int Refused { get; set; }

        public int Waiting { get; set; }

        public int ReportsSent { get; set; }

        public int ReportsWaiting { get; set; }

        public int Staged { get; set; }

        public int Unverifiable { get; set; }

        public int Withdrawn { get; set; }

        public List<string> Refusals { get; } = [];

        public string? Problem { get; set; }

        public string? PullStoppedBecause { get; set; }

        public string? NothingStagedBecause { get; set; }

        public PoolSyncResult ToResult() =>
            new(Pool, Delivered, Refused, Waiting, ReportsSent, ReportsWaiting, Staged, Unverifiable, Withdrawn, Refusals, Problem, PullStoppedBecause, NothingStagedBecause);
    }
}
