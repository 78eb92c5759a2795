using System.Globalization;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Http;
using Commons.Community.Pooling;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.Options;

namespace Commons.Community.Service;

/// <summary>
/// The pool's rules for members, in one place: admission by invite, who may publish what (the signer is
/// the contributor), credit and the read ledger, the k threshold and withdrawals (through the topic
/// grains). The HTTP API only verifies signatures and translates; the benchmark's in-process transport
/// calls the same methods with the member's key.
/// </summary>
/// <param name="moderation">The pool's own policy and moderation; null for a pool that has neither (the benchmark's).</param>
public sealed class PoolService(IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members, TopicDirectory topics,
    PoolModeration? moderation = null, PoolMetrics? metrics = null)
{
    private PoolOptions Pool => options.Value;

    /// <summary>The ledger terms of the policy.</summary>
    public LedgerPolicy Ledger => new(Pool.CreditPerContribution, Pool.ReadCost, Pool.FreeReadsPerDay);

    /// <summary>Admits <paramref name="key"/> on an invite signed by this pool's admin key.</summary>
    public async Task<PoolAnswer<MemberStatus>> JoinAsync(string key, string? inviteToken)
    {
        if (string.IsNullOrWhiteSpace(inviteToken))
        {
            return PoolAnswer<MemberStatus>.Refuse(400, "The body must be {\"invite\": \"commons-invite/v1....\"}.");
        }

        var invite = InviteToken.TryRead(inviteToken.Trim(), out var reason);
        if (invite is null)
        {
            return PoolAnswer<MemberStatus>.Refuse(403, reason);
        }

        if (invite.PoolKey != Pool.AdminKey)
        {
            return PoolAnswer<MemberStatus>.Refuse(403, "The invite was not signed by this pool's admin key.");
        }

        if (invite.Expires <= time.GetUtcNow())
        {
            return PoolAnswer<MemberStatus>.Refuse(403, string.Create(CultureInfo.InvariantCulture, $"The invite expired at {invite.Expires:u}."));
        }

        if (!await grains.GetGrain<IInviteGrain>(invite.Id).RedeemAsync(key, invite.Uses))
        {
            return PoolAnswer<MemberStatus>.Refuse(403, "The invite has been used up.");
        }

        var status = await grains.GetGrain<IContributorGrain>(key).AdmitAsync(invite.Id);
        await members.AddAsync(key, invite.Peer);
        return PoolAnswer<MemberStatus>.Ok(status);
    }

    /// <summary>
    /// Null when <paramref name="key"/> is an admitted member; otherwise the refusal. Asks the member
    /// directory, not the contributor grain, so that a key that was never admitted activates no grain.
    /// </summary>
    public async Task<string?> RefuseNonMemberAsync(string key) =>
        await members.IsMemberAsync(key) ? null : "This key is not a member of the pool; join with an invite first.";

    /// <summary>
    /// Null when <paramref name="key"/> is a peer pool (admitted with a peer invite); otherwise the refusal.
    /// The feed is every artifact of a topic's log, below k too, for pools that apply k themselves;
    /// members read through query and digest, and pay for it.
    /// </summary>
    public async Task<string?> RefuseNonPeerAsync(string key) =>
        await members.IsPeerAsync(key) ? null
            : "The feed is only for peer pools (admitted with a peer invite from this pool's admin); members read through query and digest.";

    /// <summary>
    /// Publishes an artifact a member signed (its JSON bytes, parsed strictly here): only its own (the
    /// artifact's contributor is the member), counted once (a resend is a duplicate), to a topic the pool
    /// has or has room for. Credit comes later, from the topic, once other members back the same group.
    /// </summary>
    public async Task<PoolAnswer<PublishReceipt>> PublishAsync(string key, byte[] artifactJson)
    {
        if (await RefuseNonMemberAsync(key) is { } notMember)
        {
            return PoolAnswer<PublishReceipt>.Refuse(403, notMember);
        }

        var parsed = InsightArtifactParser.Parse(artifactJson, time.GetUtcNow());
        if (!parsed.IsValid)
        {
            return PoolAnswer<PublishReceipt>.Refuse(400, parsed.Reason, parsed.Rejection.ToString());
        }

        var artifact = parsed.Artifact;
        if (artifact.Contributor != key)
        {
            return PoolAnswer<PublishReceipt>.Refuse(403, "The artifact's contributor is not the key that signed the request; members publish only their own artifacts.");
        }

        if (moderation is not null)
        {
            if (await moderation.RefuseSuspendedAsync(key) is { } suspended)
            {
                return PoolAnswer<PublishReceipt>.Refuse(403, suspended);
            }

            // The pool's own policy, with the members' redaction code; a refused artifact waits in quarantine for the admin.
            if (await moderation.CheckArrivalAsync(artifact) is { } refusal)
            {
                metrics?.Quarantined(1);
                return PoolAnswer<PublishReceipt>.Refuse(422, refusal.Reason, "policy-" + refusal.Code);
            }
        }

        if (!await topics.TryRegisterAsync(artifact.Topic, Pool.MaxTopics))
        {
            return PoolAnswer<PublishReceipt>.Refuse(409, $"The pool holds as many topics as it takes ({Pool.MaxTopics}); publish to one of its topics (GET /v1/topics).");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PublishReceipt receipt;
        try
        {
            receipt = await grains.GetGrain<IInsightPoolGrain>(artifact.Topic).PublishAsync(PooledArtifacts.From(artifact, artifact.ToJson(), null));
        }
        catch (TopicBusyException busy)
        {
            // Grouping lags behind this topic's new texts: nothing was stored, and the member tries again.
            metrics?.Published("busy", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return Busy<PublishReceipt>(busy);
        }

        metrics?.Published(receipt.Duplicate ? "duplicate" : "accepted", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (!receipt.Duplicate)
        {
            await grains.GetGrain<IContributorGrain>(key).RecordContributionsAsync(1, Ledger);
        }

        return PoolAnswer<PublishReceipt>.Ok(receipt);
    }

    /// <summary>The served groups closest to a situation; one read of the member's allowance or credit.</summary>
    public async Task<PoolAnswer<IReadOnlyList<PoolInsight>>> QueryAsync(string key, QueryRequest? query)
    {
        if (await RefuseNonMemberAsync(key) is { } notMember)
        {
            return PoolAnswer<IReadOnlyList<PoolInsight>>.Refuse(403, notMember);
        }

        if (query is null || !InsightLimits.IsValidTopic(query.Topic) || string.IsNullOrWhiteSpace(query.Situation) || query.Situation.Length > InsightLimits.MaxSituationLength)
        {
            return PoolAnswer<IReadOnlyList<PoolInsight>>.Refuse(400, $"The body must be {{\"topic\", \"situation\", \"max\"}} with a valid topic and a situation of at most {InsightLimits.MaxSituationLength} characters.");
        }

        var (spent, refused) = await SpendReadAsync(key);
        if (refused is not null)
        {
            return refused.As<IReadOnlyList<PoolInsight>>();
        }

        var served = await RefundOnFailureAsync(key, spent, grains.GetGrain<IInsightPoolGrain>(query.Topic).QueryAsync(query.Situation, Math.Clamp(query.Max, 1, 50)));
        metrics?.Served(served.Count);
        return PoolAnswer<IReadOnlyList<PoolInsight>>.Ok(served);
    }

    /// <summary>A page of a topic's served wordings from a cursor; one read of the member's allowance or credit.</summary>
    public async Task<PoolAnswer<DigestPage>> DigestAsync(string key, DigestRequest? page)
    {
        if (await RefuseNonMemberAsync(key) is { } notMember)
        {
            return PoolAnswer<DigestPage>.Refuse(403, notMember);
        }

        if (page is null || !InsightLimits.IsValidTopic(page.Topic) || page.After < 0)
        {
            return PoolAnswer<DigestPage>.Refuse(400, "The body must be {\"topic\", \"after\", \"max\"} with a valid topic and a cursor of at least 0.");
        }

        var (spent, refused) = await SpendReadAsync(key);
        if (refused is not null)
        {
            return refused.As<DigestPage>();
        }

        DigestPage digest;
        try
        {
            digest = await RefundOnFailureAsync(key, spent, grains.GetGrain<IInsightPoolGrain>(page.Topic).DigestAsync(page.After, Math.Clamp(page.Max, 1, DigestRequest.PageSize)));
        }
        catch (TopicBusyException busy)
        {
            return Busy<DigestPage>(busy);
        }

        metrics?.Served(digest.Insights.Count);
        return PoolAnswer<DigestPage>.Ok(digest);
    }

    /// <summary>Which of these staged ids the topic no longer serves. Costs no read: it is safety information for whoever holds them.</summary>
    public async Task<PoolAnswer<WithdrawnList>> WithdrawnAsync(string key, WithdrawnRequest? request)
    {
        if (await RefuseNonMemberAsync(key) is { } notMember)
        {
            return PoolAnswer<WithdrawnList>.Refuse(403, notMember);
        }

        if (request?.Ids is null || !InsightLimits.IsValidTopic(request.Topic) || request.Ids.Count > WithdrawnRequest.MaxIds || request.Ids.Any(string.IsNullOrWhiteSpace))
        {
            return PoolAnswer<WithdrawnList>.Refuse(400, $"The body must be {{\"topic\", \"ids\"}} with a valid topic and at most {WithdrawnRequest.MaxIds} ids.");
        }

        try
        {
            var withdrawn = await grains.GetGrain<IInsightPoolGrain>(request.Topic).WithdrawnAsync(request.Ids);
            return PoolAnswer<WithdrawnList>.Ok(new WithdrawnList(withdrawn));
        }
        catch (TopicBusyException busy)
        {
            return Busy<WithdrawnList>(busy);
        }
    }

    /// <summary>A member's report on a group or wording it imported: it moves the reputation of that group's contributors or those words' authors.</summary>
    public async Task<PoolAnswer<OutcomeResult>> ReportOutcomeAsync(string key, OutcomeRequest? report)
    {
        if (await RefuseNonMemberAsync(key) is { } notMember)
        {
            return PoolAnswer<OutcomeResult>.Refuse(403, notMember);
        }

        if (report is null || !InsightLimits.IsValidTopic(report.Topic) || string.IsNullOrWhiteSpace(report.GroupId)
            || report.Epsilon is { } e && (double.IsNaN(e) || e < InsightLimits.MinEpsilon))
        {
            return PoolAnswer<OutcomeResult>.Refuse(400, $"The body must be {{\"topic\", \"groupId\", \"helpful\", \"epsilon\"}} with an epsilon (when given) of at least {InsightLimits.MinEpsilon}.");
        }

        OutcomeResult result;
        try
        {
            result = await grains.GetGrain<IInsightPoolGrain>(report.Topic).ReportOutcomeAsync(key, report.GroupId, report.Helpful, report.Epsilon);
        }
        catch (TopicBusyException busy)
        {
            return Busy<OutcomeResult>(busy);
        }

        return result.Applied ? PoolAnswer<OutcomeResult>.Ok(result) : PoolAnswer<OutcomeResult>.Refuse(409, result.Reason ?? "The report was not applied.");
    }

    /// <summary>
    /// A key's membership, credit and reputation as the pool sees them; a key that was never admitted is
    /// answered from the member directory, without activating a contributor grain (and its timer).
    /// </summary>
    public async Task<MemberStatus> StatusAsync(string key) =>
        await members.IsMemberAsync(key)
            ? await grains.GetGrain<IContributorGrain>(key).GetStatusAsync(Ledger)
            : new MemberStatus(key, false, null, 0, 0, 0, 0, 0, 0.5, 0);

    /// <summary>A topic that cannot take or answer the call yet: 503, and the member tries again (the HTTP answer carries Retry-After).</summary>
    private static PoolAnswer<T> Busy<T>(TopicBusyException busy) => PoolAnswer<T>.Refuse(503, busy.Message);

    private async Task<(ReadDecision Spent, PoolAnswer<ReadDecision>? Refused)> SpendReadAsync(string key)
    {
        var decision = await grains.GetGrain<IContributorGrain>(key).TrySpendReadAsync(Ledger);
        metrics?.Read(!decision.Allowed ? "refused" : decision.FromAllowance ? "free" : "credit");
        return (decision, decision.Allowed ? null : PoolAnswer<ReadDecision>.Refuse(402, decision.Reason ?? "No credit left."));
    }

    /// <summary>
    /// The topic's answer to a paid read; when the topic cannot answer (a topic still loading after a
    /// restart, a silo going away: the member gets 503 and retries), the read is given back first.
    /// </summary>
    private async Task<T> RefundOnFailureAsync<T>(string key, ReadDecision spent, Task<T> answer)
    {
        try
        {
            return await answer;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await grains.GetGrain<IContributorGrain>(key).RefundReadAsync(spent, Ledger);
            metrics?.Read("refunded");
            throw;
        }
    }
}
