using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.Options;

namespace Commons.Community.Service;

/// <summary>
/// The pool's moderation rules, in one place: what its policy refuses on arrival (quarantined, and a
/// violation for its author), members' reports (quarantined for the admin), the admin's decisions
/// (accept, remove: withdrawn from members and peers; reinstate), suspension of repeat violators by the
/// policy's rule, and the audit log every member can read.
/// </summary>
public sealed class PoolModeration(IGrainFactory grains, PoolGovernance governance, GovernanceStore store, PoolWithdrawals withdrawals, IOptions<PoolOptions> options, TimeProvider time,
    PoolMetrics? metrics = null)
{
    /// <summary>The actor the audit log names for what the policy's own rule did.</summary>
    public const string PolicyActor = "policy";

    private const int MaxListed = 200;

    // Whether a member is suspended, as this silo last read it: a publish must not cost a database read.
    // A suspension or reinstatement made on another silo shows here within SuspensionTtl.
    private static readonly TimeSpan SuspensionTtl = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (bool Suspended, DateTimeOffset At)> _suspended = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="key"/> may publish; otherwise why not (suspended by the policy's rule).</summary>
    public async Task<string?> RefuseSuspendedAsync(string key)
    {
        if (governance.Policy is not { SuspendAfter: > 0 })
        {
            // No rule suspends anybody in this pool.
            return null;
        }

        var now = time.GetUtcNow();
        if (!_suspended.TryGetValue(key, out var known) || now - known.At > SuspensionTtl)
        {
            known = (await store.IsSuspendedAsync(key).ConfigureAwait(false), now);
            _suspended[key] = known;
        }

        return known.Suspended ? "This member is suspended by the pool's policy after repeated violations; the pool's admin can reinstate it." : null;
    }

    /// <summary>
    /// Checks an arriving artifact against the pool's policy; a refused one is quarantined for the admin
    /// and counts as a violation of its author (who may be suspended by the policy's rule).
    /// </summary>
    public async Task<PolicyRefusal?> CheckArrivalAsync(InsightArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (governance.Check(artifact) is not { } refusal)
        {
            return null;
        }

        await store.QuarantineAsync("refused", artifact.Topic, artifact.Id, artifact.Contributor, refusal.Code, refusal.Reason, null, artifact.ToJson()).ConfigureAwait(false);
        await ViolationAsync(artifact.Contributor, $"an artifact refused by the pool's policy ({refusal.Code})").ConfigureAwait(false);
        return refusal;
    }

    /// <summary>A member's report on an insight it holds: quarantined for the admin (once per member and insight).</summary>
    public async Task<PoolAnswer<ReportReceipt>> ReportAsync(string reporter, ReportRequest? report)
    {
        if (report is null || !InsightLimits.IsValidTopic(report.Topic) || string.IsNullOrWhiteSpace(report.Id) || report.Id.Length > 200
            || !ReportRequest.Reasons.Contains(report.Reason) || report.Note is { Length: > ReportRequest.MaxNote } || HasHiddenCharacters(report.Note))
        {
            return PoolAnswer<ReportReceipt>.Refuse(400, $"The body must be {{\"topic\", \"id\", \"reason\", \"note\"}} with a reason among {string.Join(", ", ReportRequest.Reasons)} and a note of at most {ReportRequest.MaxNote} plain characters.");
        }

        var artifacts = await grains.GetGrain<IInsightPoolGovernance>(report.Topic).ResolveAsync(report.Id).ConfigureAwait(false);
        if (artifacts.Count == 0)
        {
            return PoolAnswer<ReportReceipt>.Refuse(404, $"The topic {report.Topic} has no insight {report.Id}.");
        }

        var authors = artifacts.Select(a => a.Contributor).Distinct(StringComparer.Ordinal).ToList();
        var (id, duplicate) = await store.QuarantineAsync("report", report.Topic, report.Id, authors.Count == 1 ? authors[0] : $"{authors.Count} members",
            report.Reason, report.Note ?? "", reporter, null).ConfigureAwait(false);
        return PoolAnswer<ReportReceipt>.Ok(new ReportReceipt(id, report.Topic, report.Id, report.Reason, duplicate));
    }

    /// <summary>An admin's moderation request: <c>list</c>, <c>accept</c>, <c>remove</c> or <c>reinstate</c>; each but list is audited.</summary>
    public async Task<PoolAnswer<ModerationResult>> ModerateAsync(string key, ModerationRequest? request)
    {
        if (key != options.Value.AdminKey)
        {
            return PoolAnswer<ModerationResult>.Refuse(403, "Only the pool's admin key may moderate.");
        }

        var note = request?.Note is { Length: > 0 } n ? $" ({n})" : "";
        switch (request?.Action)
        {
            case "list":
                var open = await store.OpenQuarantineAsync(MaxListed).ConfigureAwait(false);
                return PoolAnswer<ModerationResult>.Ok(new ModerationResult("list", open, 0, [], $"{open.Count} in quarantine"));
            case "accept" or "remove" when request.Id is { } id:
                var found = await store.FindQuarantineAsync(id).ConfigureAwait(false);
                if (found is not { Item.Resolution: null } entry)
                {
                    return PoolAnswer<ModerationResult>.Refuse(404, string.Create(CultureInfo.InvariantCulture, $"The quarantine has no open entry {id}."));
                }

                return request.Action == "accept"
                    ? await AcceptAsync(key, entry.Item, entry.ArtifactJson, note).ConfigureAwait(false)
                    : await RemoveAsync(key, entry.Item, note).ConfigureAwait(false);
            case "reinstate" when ContributorKey.IsWellFormedKeyId(request.Member ?? ""):
                if (!await store.ReinstateAsync(request.Member!).ConfigureAwait(false))
                {
                    return PoolAnswer<ModerationResult>.Refuse(409, $"The member {request.Member} is not suspended.");
                }

                _suspended.TryRemove(request.Member!, out _);

                await store.AuditAsync(key, "reinstate", request.Member!, "suspension lifted; violations cleared" + note).ConfigureAwait(false);
                return PoolAnswer<ModerationResult>.Ok(new ModerationResult("reinstate", [], 0, [], $"{request.Member} reinstated"));
            default:
                return PoolAnswer<ModerationResult>.Refuse(400, "The body must be {\"action\": \"list\"}, {\"action\": \"accept\"|\"remove\", \"id\": N} or {\"action\": \"reinstate\", \"member\": \"ed25519:...\"}.");
        }
    }

    /// <summary>Records an admin action taken elsewhere (adding a peer pool) in the audit log members read.</summary>
    public Task RecordAdminActionAsync(string admin, string action, string target, string detail) => store.AuditAsync(admin, action, target, detail);

    /// <summary>A page of the audit log; any member may read it.</summary>
    public async Task<AuditPage> ReadAuditAsync(long after, int max) =>
        await store.ReadAuditAsync(Math.Max(0, after), Math.Clamp(max, 1, 500)).ConfigureAwait(false);

    private async Task<PoolAnswer<ModerationResult>> AcceptAsync(string admin, QuarantineItem item, string? artifactJson, string note)
    {
        var summary = item.Kind == "report" ? $"report on {item.InsightId} dismissed; the insight stays" : $"refused artifact {item.InsightId} admitted";
        if (item.Kind == "refused" && artifactJson is not null)
        {
            // The admin overrules the policy for this one artifact; it was signed and verified when it came.
            var parsed = InsightArtifactParser.Parse(System.Text.Encoding.UTF8.GetBytes(artifactJson), time.GetUtcNow());
            if (!parsed.IsValid)
            {
                return PoolAnswer<ModerationResult>.Refuse(409, $"The quarantined artifact can no longer be admitted: {parsed.Reason}");
            }

            await grains.GetGrain<IInsightPoolGrain>(item.Topic).PublishAsync(PooledArtifacts.From(parsed.Artifact, parsed.Artifact.ToJson(), null)).ConfigureAwait(false);
        }

        await store.ResolveAsync(item, "accepted").ConfigureAwait(false);
        await store.AuditAsync(admin, "accept", $"{item.Topic}/{item.InsightId}", $"quarantine {item.Id} ({item.Kind}, {item.Reason}): {summary}{note}").ConfigureAwait(false);
        return PoolAnswer<ModerationResult>.Ok(new ModerationResult("accept", [], 0, [], summary));
    }

    private async Task<PoolAnswer<ModerationResult>> RemoveAsync(string admin, QuarantineItem item, string note)
    {
        var withdrawn = 0;
        var suspended = new List<string>();
        if (item.Kind == "report")
        {
            var artifacts = await grains.GetGrain<IInsightPoolGovernance>(item.Topic).ResolveAsync(item.InsightId).ConfigureAwait(false);
            var statement = JsonSerializer.Serialize(new { action = "remove", topic = item.Topic, insight = item.InsightId, reason = item.Reason, by = admin, at = time.GetUtcNow() }, PoolClient.Json);
            var result = await withdrawals.WithdrawAsync(item.Topic, artifacts.Select(a => a.Id).ToList(), GovernanceStore.Removal, statement).ConfigureAwait(false);
            withdrawn = result.Withdrawn.Count;
            foreach (var author in artifacts.Select(a => a.Contributor).Distinct(StringComparer.Ordinal))
            {
                if (await ViolationAsync(author, $"an insight removed by the admin ({item.Reason})").ConfigureAwait(false))
                {
                    suspended.Add(author);
                }
            }
        }

        await store.ResolveAsync(item, "removed").ConfigureAwait(false);
        var summary = item.Kind == "report"
            ? $"insight {item.InsightId} removed: {Counted.Of(withdrawn, "artifact", "artifacts")} withdrawn from members and peers"
            : $"refused artifact {item.InsightId} stays out";
        await store.AuditAsync(admin, "remove", $"{item.Topic}/{item.InsightId}", $"quarantine {item.Id} ({item.Kind}, {item.Reason}): {summary}{note}").ConfigureAwait(false);
        return PoolAnswer<ModerationResult>.Ok(new ModerationResult("remove", [], withdrawn, suspended, summary));
    }

    /// <returns>True when this violation suspended the member (the policy's rule; audited).</returns>
    private async Task<bool> ViolationAsync(string member, string what)
    {
        var after = governance.Policy?.SuspendAfter ?? 0;
        if (!await store.AddViolationAsync(member, after).ConfigureAwait(false))
        {
            return false;
        }

        _suspended[member] = (true, time.GetUtcNow());
        metrics?.Suspended();
        await store.AuditAsync(PolicyActor, "suspend", member, string.Create(CultureInfo.InvariantCulture, $"{after} violations (the last: {what}); the admin can reinstate it")).ConfigureAwait(false);
        return true;
    }

    private static bool HasHiddenCharacters(string? text) =>
        text is not null && text.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse);
}
