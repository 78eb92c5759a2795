using System.Globalization;
using Commons.Abstractions.Pools;
using Commons.Privacy.Noise;
using Microsoft.Extensions.Logging;

namespace Commons.Community.Grains;

/// <summary>
/// One member key: admission, the reciprocity ledger and reputation. Admission and outcome reports are
/// written at once; the ledger's counters (one change per publish or read) are written behind, at most
/// once a second, so that a busy member does not cost a database write per request.
/// </summary>
public sealed partial class ContributorGrain(
    [PersistentState("contributor", PoolStorageNames.Pool)] IPersistentState<ContributorState> state,
    TimeProvider time,
    ILogger<ContributorGrain> logger) : Grain, IContributorGrain
{
    private bool _dirty;
    private IGrainTimer? _flush;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _flush = this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        await FlushAsync(cancellationToken);
    }

    public async Task<MemberStatus> AdmitAsync(string inviteId)
    {
        if (!state.State.Admitted)
        {
            state.State.Admitted = true;
            state.State.AdmittedAt = time.GetUtcNow();
            state.State.InviteId = inviteId;
            await WriteAsync();
        }

        return Status(null);
    }

    public Task<MemberStatus> GetStatusAsync(LedgerPolicy policy) => Task.FromResult(Status(policy));

    public Task RecordContributionsAsync(int accepted, LedgerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (accepted > 0)
        {
            state.State.Contributions += accepted;
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    public Task EarnCreditAsync(int groups, LedgerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (groups > 0)
        {
            state.State.CreditEarned += (long)groups * policy.CreditPerContribution;
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    public Task<ReadDecision> TrySpendReadAsync(LedgerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var s = state.State;
        ResetAllowance();
        if (s.FreeReadsUsed < policy.FreeReadsPerDay)
        {
            s.FreeReadsUsed++;
            s.Reads++;
            _dirty = true;
            return Task.FromResult(new ReadDecision(true, true, s.CreditEarned - s.CreditSpent, null));
        }

        if (s.CreditEarned - s.CreditSpent >= policy.ReadCost)
        {
            s.CreditSpent += policy.ReadCost;
            s.Reads++;
            _dirty = true;
            return Task.FromResult(new ReadDecision(true, false, s.CreditEarned - s.CreditSpent, null));
        }

        return Task.FromResult(new ReadDecision(false, false, s.CreditEarned - s.CreditSpent,
            $"You have used today's {policy.FreeReadsPerDay} free reads and have no credit left; each group you back that other members back too earns {policy.CreditPerContribution} credit."));
    }

    public Task RefundReadAsync(ReadDecision spent, LedgerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(spent);
        ArgumentNullException.ThrowIfNull(policy);
        var s = state.State;
        if (!spent.Allowed || s.Reads == 0)
        {
            return Task.CompletedTask;
        }

        // After the day turned the allowance is whole again: nothing to give back from it.
        ResetAllowance();
        if (spent.FromAllowance && s.FreeReadsUsed > 0)
        {
            s.FreeReadsUsed--;
        }
        else if (!spent.FromAllowance)
        {
            s.CreditSpent = Math.Max(0, s.CreditSpent - policy.ReadCost);
        }

        s.Reads--;
        _dirty = true;
        return Task.CompletedTask;
    }

    public async Task ApplyOutcomeAsync(string reporter, string groupId, bool helpful, double? epsilon = null)
    {
        var key = reporter + " " + groupId;
        if (state.State.Reports.TryGetValue(key, out var previous) && previous == helpful
            && Nullable.Equals(state.State.ReportEpsilons.TryGetValue(key, out var was) ? was : (double?)null, epsilon))
        {
            return;
        }

        state.State.Reports[key] = helpful;
        if (epsilon is { } e)
        {
            state.State.ReportEpsilons[key] = e;
        }
        else
        {
            state.State.ReportEpsilons.Remove(key);
        }

        await WriteAsync();
    }

    public Task<ContributorReputation> GetReputationAsync(StandingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var posterior = Posterior();
        // Out of k only once the reports make the pool sure the insights mostly fail: few reports, or
        // reports that are mixed, never are. An honest member whose words fit some people and not others
        // keeps counting (each importer verifies for itself); one whose words keep failing does not.
        var counts = posterior.ProbabilityBelow(policy.MinHelpfulShare) < policy.Confidence;
        return Task.FromResult(new ContributorReputation(Share(posterior), counts));
    }

    /// <summary>
    /// The posterior of the share of helpful reports, from a uniform prior, one vote per reporter and
    /// group (<see cref="RandomizedResponse.Posterior"/>): each bit counts through its own likelihood,
    /// so exact reports move it as a Beta(1, 1) count does, while bits that came through randomised
    /// response are worth what their epsilon makes them worth.
    /// </summary>
    private SharePosterior Posterior() =>
        RandomizedResponse.Posterior(state.State.Reports.Select(r =>
            (r.Value, state.State.ReportEpsilons.TryGetValue(r.Key, out var e) ? e : (double?)null)));

    private static double Share(SharePosterior posterior) => Math.Clamp(posterior.Mean, 0.001, 0.999);

    private MemberStatus Status(LedgerPolicy? policy)
    {
        ResetAllowance();
        var s = state.State;
        var freeLeft = policy is null ? 0 : Math.Max(0, policy.FreeReadsPerDay - s.FreeReadsUsed);
        return new MemberStatus(this.GetPrimaryKeyString(), s.Admitted, s.AdmittedAt, s.Contributions, s.CreditEarned,
            s.CreditSpent, freeLeft, s.Reads, Share(Posterior()), s.Reports.Count);
    }

    private void ResetAllowance()
    {
        var today = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (state.State.FreeDay != today)
        {
            state.State.FreeDay = today;
            state.State.FreeReadsUsed = 0;
        }
    }

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger of {Member} could not be written; it is retried within a second.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string member);
}
