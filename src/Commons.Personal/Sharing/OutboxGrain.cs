using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;
using Commons.Insights;
using Commons.Personal.Pools;
using Commons.Privacy.Budget;
using Commons.Privacy.Export;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Sharing;

/// <summary>
/// What leaves the person's machine. Candidates — active playbook entries of the agent's own with
/// enough local evidence for their topic, and outcome reports on imported insights — go through the
/// real export pipeline (policy, redaction, leak check, epsilon charge, noise) into an approval queue,
/// or straight to the outbox where the policy approves the topic automatically. Each approved artifact
/// leaves for every joined pool signed with the member key that pool admitted (the review shows those
/// exact bytes). Trial reports on imports leave as single randomised-response bits. Every failure
/// refuses with its reason and queues nothing.
/// </summary>
public sealed partial class OutboxGrain(
    [PersistentState("outbox", StorageNames.Personal)] IPersistentState<OutboxState> state,
    ExportPipeline pipeline,
    PolicyProvider policies,
    ContributorKeyStore keys,
    TopicClassifier topics,
    IKnownEntitySource knownEntities,
    IEpsilonBudgetStore budget,
    IOptions<SharingOptions> options,
    IPoolMemberships memberships,
    TimeProvider time,
    ILogger<OutboxGrain> logger) : Grain, IOutboxGrain
{
    private const int MinimumIdPrefix = 6;
    private const int DeliveredKept = 200;

    /// <summary>Refusals whose cause passes by itself (a day, a fixed file): tried again on the next run.</summary>
    private static readonly HashSet<string> PassingStages = new(StringComparer.Ordinal) { "policy", "budget", "pipeline", "key", "known-entities", "sign" };

    private IPlaybookGrain Playbook => GrainFactory.GetGrain<IPlaybookGrain>(this.GetPrimaryKeyString());

    public async Task<SharePreparation> PrepareAsync()
    {
        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            LogRefused(logger, "policy");
            return Refused("policy", NothingLeaves(ex.Message));
        }

        ContributorKey key;
        try
        {
            key = keys.GetOrCreate();
        }
        catch (CommonsException ex)
        {
            LogRefused(logger, "key");
            return Refused("key", ex.Message);
        }

        using (key)
        {
            KnownEntities known;
            try
            {
                known = await knownEntities.GetAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                LogRefused(logger, "known-entities");
                return Refused("known-entities", $"your known entities cannot be read, so nothing leaves: {ex.Message}");
            }

            var taken = await Playbook.TakeOutcomeReportsAsync();
            if (taken.Count > 0)
            {
                state.State.PendingOutcomes.AddRange(taken);
                await state.WriteStateAsync();
            }

            var run = new Run(policy, key, known, time.GetUtcNow());
            await PrepareEntriesAsync(run);
            await PrepareReportsAsync(run);
            await state.WriteStateAsync();
            LogPrepared(logger, run.Candidates, run.Queued.Count, run.Refusals.Count);
            return new SharePreparation(run.Queued, run.Refusals, run.Candidates, run.Reports);
        }
    }

    public Task<IReadOnlyList<ShareItem>> ListAwaitingApprovalAsync() =>
        Task.FromResult<IReadOnlyList<ShareItem>>(state.State.Items
            .Where(i => i.State == ShareItemState.AwaitingApproval)
            .Select(i => SignForPools(i, out _) is { Count: > 0 } copies ? i with { Copies = copies } : i)
            .ToList());

    public async Task<ShareDecision> ApproveAsync(string id)
    {
        if (FindAwaiting(id, out var problem) is not { } item)
        {
            return new ShareDecision(false, problem!, null);
        }

        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            return new ShareDecision(false, NothingLeaves(ex.Message), item);
        }

        var parsed = InsightArtifactParser.Parse(item.Json);
        if (!parsed.IsValid)
        {
            await DropAsync(item, forget: true);
            return new ShareDecision(false, $"the prepared artifact {Short(item.Id)} is damaged ({parsed.Reason}); it was dropped", item);
        }

        var artifact = parsed.Artifact;
        if (artifact.Policy.Hash != policy.Hash)
        {
            await DropAsync(item, forget: true);
            return new ShareDecision(false, $"the policies changed since {Short(item.Id)} was prepared, so it was dropped; run 'commons share prepare' again", item);
        }

        var decision = policy.Sharing.Decide(artifact.Topic, long.MaxValue);
        if (!decision.Allowed)
        {
            await DropAsync(item, forget: false);
            return new ShareDecision(false, $"{decision.Reason}; {Short(item.Id)} was dropped", item);
        }

        ContributorKey key;
        try
        {
            key = keys.GetOrCreate();
        }
        catch (CommonsException ex)
        {
            return new ShareDecision(false, ex.Message, item);
        }

        using (key)
        {
            // Signing is deterministic (Ed25519): the artifact signed now is byte for byte the one shown.
            var signed = InsightSigner.Sign(new InsightDraft(artifact.Kind, artifact.Topic, artifact.Situation, artifact.Advice, artifact.Action,
                artifact.Evidence, artifact.Policy, artifact.Created, artifact.Expires), key);
            var json = signed.ToJson();
            if (!string.Equals(json, item.Json, StringComparison.Ordinal))
            {
                await DropAsync(item, forget: true);
                return new ShareDecision(false, $"the contributor key changed since {Short(item.Id)} was prepared, so it was dropped; run 'commons share prepare' again", item);
            }

            // What the person approves is what each pool joined now receives, byte for byte as shown.
            var copies = SignForPools(item, out var keyProblem);
            if (keyProblem is not null)
            {
                return new ShareDecision(false, keyProblem, item);
            }

            var approved = item with
            {
                State = ShareItemState.ReadyToDeliver,
                Note = copies.Count == 0 ? "approved by you; it goes to the pools you join" : "approved by you",
                Copies = copies.Count == 0 ? null : copies,
            };
            Replace(item, approved);
            Remember(item.Source, ShareSourceStatus.Shared, state.State.Sources.GetValueOrDefault(item.Source)?.Evidence ?? 0, policy.Hash, null, null);
            await state.WriteStateAsync();
            LogDecided(logger, "approved");
            return new ShareDecision(true, copies.Count == 0
                ? $"approved {Short(item.Id)}; no pool is joined yet, so it waits in the outbox"
                : $"approved {Short(item.Id)}; it waits in the outbox for delivery to {copies.Count} pool{(copies.Count == 1 ? "" : "s")}", approved);
        }
    }

    public async Task<ShareDecision> DenyAsync(string id)
    {
        if (FindAwaiting(id, out var problem) is not { } item)
        {
            return new ShareDecision(false, problem!, null);
        }

        state.State.Items.Remove(item);
        Remember(item.Source, ShareSourceStatus.Denied, state.State.Sources.GetValueOrDefault(item.Source)?.Evidence ?? 0, null, null, null);
        state.State.DeniedCount++;
        await state.WriteStateAsync();
        LogDecided(logger, "denied");
        return new ShareDecision(true, $"denied {Short(item.Id)}; it was dropped and {item.Source} will not be proposed again", item);
    }

    public async Task<ShareSummary> GetSummaryAsync()
    {
        PolicySet? policy = null;
        string? problem = null;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            problem = ex.Message;
        }

        string? keyId = null;
        if (File.Exists(keys.PathOf("contributor")))
        {
            try
            {
                using var key = keys.GetOrCreate();
                keyId = key.KeyId;
            }
            catch (CommonsException ex)
            {
                problem ??= ex.Message;
            }
        }

        decimal spent = 0;
        try
        {
            var ledger = await budget.LoadAsync(CancellationToken.None);
            spent = ledger.Day == time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ? ledger.Spent : 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            problem ??= $"the epsilon ledger cannot be read: {ex.Message}";
        }

        var items = state.State.Items;
        var standing = state.State.Sources
            .Where(s => s.Value.Status == ShareSourceStatus.Refused)
            .Select(s => new ShareRefusal(s.Key, s.Value.Stage ?? "", s.Value.Reason ?? ""))
            .ToList();
        return new ShareSummary(policy?.Id, policy?.Hash, problem, keyId, spent, policy?.Sharing.DailyEpsilonBudget,
            items.Count(i => i.State == ShareItemState.AwaitingApproval), items.Count(i => i.State == ShareItemState.ReadyToDeliver),
            state.State.DeliveredCount, state.State.DeniedCount, standing, PoolCounts());
    }

    private async Task PrepareEntriesAsync(Run run)
    {
        var sharing = run.Policy.Sharing;
        var minimum = sharing.Topics.Count == 0 ? long.MaxValue : Math.Max(1, sharing.Topics.Min(t => t.MinEvidence));
        var entries = (await Playbook.ListEntriesAsync(includeRetired: false))
            .Where(e => e.Status == EntryStatus.Active && e.Origin != EntryOrigin.Imported)
            .Select(e => (Entry: e, Source: "entry:" + e.Id, Successes: (long)Math.Floor(e.Successes), Failures: (long)Math.Floor(e.Failures)))
            .Where(c => c.Successes + c.Failures >= minimum && Eligible(c.Source, c.Successes + c.Failures, run.Policy.Hash))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var matches = await topics.ClassifyAsync(entries.Select(c => (TopicText(c.Entry), c.Entry.Situation)).ToList(), sharing, options.Value.SensitiveMargin, CancellationToken.None);
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, source, successes, failures) = entries[i];
            var match = matches[i];
            if (match is null || (!match.NeverShared && match.Similarity < options.Value.TopicMinSimilarity))
            {
                run.Candidates++;
                Refuse(run, source, successes + failures, "topic", match is null
                    ? "the sharing policy lists no topics"
                    : string.Create(CultureInfo.InvariantCulture, $"no topic of the sharing policy fits it (closest: {match.Topic}, similarity {match.Similarity:0.00})"));
                continue;
            }

            if (sharing.Topics.FirstOrDefault(t => t.Id == match.Topic) is { } rule && successes + failures < rule.MinEvidence)
            {
                // Not a candidate yet: the topic needs more local evidence.
                continue;
            }

            run.Candidates++;
            var kind = entry.Advice.Length == 0 ? InsightKind.Pattern : InsightKind.Playbook;
            var candidate = new ExportCandidate(kind, match.Topic, entry.Situation, entry.Advice.Length == 0 ? null : entry.Advice, entry.Action, successes, failures);
            await RunCandidateAsync(run, source, candidate, match.Similarity >= options.Value.AutoApproveSimilarity);
        }
    }

    /// <summary>One candidate through the pipeline: queued (or, auto-approved, signed into the outbox), or refused with the reason.</summary>
    private async Task<ShareRefusal?> RunCandidateAsync(Run run, string source, ExportCandidate candidate, bool trustedTopic)
    {
        var evidence = candidate.Successes + candidate.Failures;
        var result = await pipeline.PrepareAsync(candidate, run.Known, CancellationToken.None);
        if (!result.HasDraft)
        {
            if (result.Exception is not null)
            {
                LogPipelineException(logger, result.Stage, result.Exception);
            }

            return Refuse(run, source, evidence, result.Stage, result.Reason ?? "refused");
        }

        InsightArtifact artifact;
        try
        {
            artifact = ExportPipeline.Seal(result, run.Key);
        }
        catch (ArgumentException ex)
        {
            return Refuse(run, source, evidence, "sign", ex.Message);
        }

        if (state.State.Items.Exists(i => i.Id == artifact.Id))
        {
            // Content-addressed: the very same artifact is already on its way.
            return null;
        }

        var automatic = result.Status == ExportStatus.Approved && trustedTopic;
        var note = result.Status == ExportStatus.Approved && !trustedTopic
            ? $"{result.Reason}, but its topic was guessed with low confidence, so you approve it"
            : result.Reason ?? "";
        var item = new ShareItem(artifact.Id, artifact.KindName, artifact.Topic, source, artifact.ToJson(),
            automatic ? ShareItemState.ReadyToDeliver : ShareItemState.AwaitingApproval, note, run.Now, Automatic: automatic);
        state.State.Items.Add(item);
        Remember(source, automatic ? ShareSourceStatus.Shared : ShareSourceStatus.Pending, evidence, run.Policy.Hash, null, null);
        run.Queued.Add(item);
        return null;
    }

    private ShareRefusal Refuse(Run run, string source, long evidence, string stage, string reason)
    {
        LogRefused(logger, stage);
        var refusal = new ShareRefusal(source, stage, reason);
        run.Refusals.Add(refusal);
        Remember(source, ShareSourceStatus.Refused, evidence, run.Policy.Hash, stage, reason);
        return refusal;
    }

    private bool Eligible(string source, long evidence, string policyHash)
    {
        if (!state.State.Sources.TryGetValue(source, out var record))
        {
            return true;
        }

        return record.Status switch
        {
            ShareSourceStatus.Denied or ShareSourceStatus.Pending => false,
            ShareSourceStatus.Shared => evidence >= record.Evidence * options.Value.ReshareGrowth,
            _ => PassingStages.Contains(record.Stage ?? "") || record.PolicyHash != policyHash || record.Evidence != evidence,
        };
    }

    private void Remember(string source, ShareSourceStatus status, long evidence, string? policyHash, string? stage, string? reason) =>
        state.State.Sources[source] = new ShareSourceRecord
        {
            Status = status,
            Evidence = evidence,
            PolicyHash = policyHash,
            Stage = stage,
            Reason = reason,
            At = time.GetUtcNow(),
        };

    private ShareItem? FindAwaiting(string id, out string? problem)
    {
        problem = null;
        var text = id?.Trim() ?? "";
        if (text.Length < MinimumIdPrefix)
        {
            problem = $"'{text}' is too short to name an artifact; give at least {MinimumIdPrefix} characters of its id";
            return null;
        }

        var matches = state.State.Items.Where(i => i.State == ShareItemState.AwaitingApproval && i.Id.StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        problem = matches.Count == 0
            ? $"nothing with the id {text} waits for approval; see 'commons share review'"
            : $"the id {text} names {matches.Count} artifacts; give more of it";
        return null;
    }

    private async Task DropAsync(ShareItem item, bool forget)
    {
        state.State.Items.Remove(item);
        if (forget)
        {
            state.State.Sources.Remove(item.Source);
        }

        await state.WriteStateAsync();
    }

    private void Replace(ShareItem old, ShareItem updated) => state.State.Items[state.State.Items.IndexOf(old)] = updated;

    private static string NothingLeaves(string problem) => $"{problem.TrimEnd('.')}; nothing leaves";

    private static SharePreparation Refused(string stage, string reason) => new([], [new ShareRefusal("*", stage, reason)], 0);

    /// <summary>What the topic is judged on: the situation and the action's name in words.</summary>
    private static string TopicText(PlaybookEntry entry) =>
        entry.Action is null ? entry.Situation : $"{entry.Situation} ({entry.Action.Replace('_', ' ').Replace('.', ' ')})";

    private static string Short(string id) => id.Length <= 12 ? id : id[..12];

    [LoggerMessage(Level = LogLevel.Information, Message = "Share candidates prepared: {Candidates} considered, {Queued} queued, {Refused} refused.")]
    private static partial void LogPrepared(ILogger logger, int candidates, int queued, int refused);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Export refused at the {Stage} stage.")]
    private static partial void LogRefused(ILogger logger, string stage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Share artifact {Decision}.")]
    private static partial void LogDecided(ILogger logger, string decision);

    // The exception may quote the text being exported: Trace only.
    [LoggerMessage(Level = LogLevel.Trace, Message = "The export pipeline failed at the {Stage} stage.")]
    private static partial void LogPipelineException(ILogger logger, string stage, Exception exception);

    /// <summary>One preparation run's inputs and results.</summary>
    private sealed class Run(PolicySet policy, ContributorKey key, KnownEntities known, DateTimeOffset now)
    {
        public PolicySet Policy { get; } = policy;

        public ContributorKey Key { get; } = key;

        public KnownEntities Known { get; } = known;

        public DateTimeOffset Now { get; } = now;

        public int Candidates { get; set; }

        public int Reports { get; set; }

        public List<ShareItem> Queued { get; } = [];

        public List<ShareRefusal> Refusals { get; } = [];
    }
}
