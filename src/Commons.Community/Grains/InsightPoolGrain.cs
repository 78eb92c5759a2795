using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Commons.Insights;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Commons.Community.Grains;

/// <summary>
/// One topic shard of the pool; see <see cref="IInsightPoolGrain"/>. The durable state is the topic's
/// append-only log (<see cref="ITopicLog"/>: a PostgreSQL table written by group commit across the
/// silo's topics, or segment grains without PostgreSQL): publishes are answered only after their write.
/// Groups and aggregates are derived from the log, so they are rebuilt exactly when the grain
/// activates again, on any silo.
/// </summary>
[Reentrant]
public sealed partial class InsightPoolGrain(
    PoolEmbeddings embeddings,
    IOptions<PoolOptions> options,
    TimeProvider time,
    ILogger<InsightPoolGrain> logger,
    TopicTextStore? texts = null,
    TopicDirectory? directory = null,
    ITopicLog? log = null) : Grain, IInsightPoolGrain
{
    private static readonly TimeSpan ReputationTtl = TimeSpan.FromSeconds(30);
    private static readonly string OutcomeKind = InsightArtifact.NameOf(InsightKind.Outcome);
    private readonly PoolOptions _options = options.Value;
    private readonly List<PoolEntry> _log = [];
    private readonly Dictionary<string, PoolEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly List<Pending> _queue = [];
    private readonly List<PoolGroup> _groups = [];
    private readonly Dictionary<string, PoolGroup> _groupById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolGroup> _groupByText = new(StringComparer.Ordinal);
    private readonly Queue<PoolEntry> _ungrouped = new();
    private readonly Dictionary<string, (ContributorReputation Reputation, DateTimeOffset At)> _reputations = new(StringComparer.Ordinal);
    // A group as last served (null: it did not qualify), until its members, their reputations or the
    // clock change that: members read digests and ask what was withdrawn far more often than that. It
    // is built from cached reputations, so a report made through another topic or silo shows within
    // twice the reputation refresh; a report made here shows at once.
    private readonly Dictionary<PoolGroup, ServedGroup> _servedCache = [];
    private readonly Dictionary<string, List<PoolGroup>> _groupsByContributor = new(StringComparer.Ordinal);
    // Every wording by the id a member stages it under (WordingId.Of).
    private readonly Dictionary<string, (PoolGroup Group, PoolEntry Wording)> _wordings = new(StringComparer.Ordinal);
    // Groups in the order they first had k members behind them (membership only grows).
    private readonly List<PoolGroup> _served = [];
    // The digest's order: every wording of a served group, from the moment the group or the wording
    // came (a wording that joins a group already served goes at the end, where a member's cursor finds it).
    private readonly List<(PoolGroup Group, PoolEntry Wording)> _servedWordings = [];
    // Where texts of the log were placed before this activation (by TopicTextStore.KeyOf), until the
    // log is grouped: placing them from here instead of embedding them again.
    private IReadOnlyDictionary<string, (string GroupId, float[]? Vector)> _stored = new Dictionary<string, (string, float[]?)>();
    // Credit owed to members whose groups other members now back too, paid after each batch; none for
    // what the log read back at activation (that credit was paid the first time).
    private readonly Dictionary<string, int> _credits = new(StringComparer.Ordinal);
    // Distinct texts waiting for grouping that must be embedded (neither grouped nor placed before):
    // what grouping still owes, bounded by PoolOptions.MaxUngroupedTexts.
    private readonly HashSet<string> _unembedded = new(StringComparer.Ordinal);
    // Completed (and replaced) each time grouping finishes a batch.
    private TaskCompletionSource _groupedBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The last log position read back at activation: what is at or before it was regrouped, not published.
    private long _replayedThrough;
    private bool _flushing;
    private bool _broken;
    private bool _topicRegistered;
    private Task? _grouping;
    private StandingPolicy? _standing;

    private string Topic => this.GetPrimaryKeyString();

    public async Task<PublishReceipt> PublishAsync(PooledArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (artifact.Topic != Topic)
        {
            throw new ArgumentException($"The artifact's topic {artifact.Topic} is not this shard's ({Topic}).", nameof(artifact));
        }

        if (_byId.TryGetValue(artifact.Id, out var known))
        {
            return new PublishReceipt(artifact.Id, Topic, known.Sequence, true, known.ReceivedAt);
        }

        if (_broken)
        {
            throw new InvalidOperationException($"The topic {Topic} is reloading after a failed write; try again.");
        }

        if (!_pending.TryGetValue(artifact.Id, out var pending))
        {
            var text = TextOf(artifact);
            RefuseWhileGroupingLags(artifact, text.Normalised);
            pending = new Pending(artifact, text);
            _pending[artifact.Id] = pending;
            _queue.Add(pending);
            if (!_flushing)
            {
                _flushing = true;
                _ = FlushAsync();
            }

            return await pending.Completion.Task;
        }

        var receipt = await pending.Completion.Task;
        return receipt with { Duplicate = true };
    }

    public async Task<IReadOnlyList<PoolInsight>> QueryAsync(string situation, int max)
    {
        ArgumentNullException.ThrowIfNull(situation);
        await WaitForGroupingAsync();
        if (_groups.Count == 0 || max <= 0)
        {
            return [];
        }

        var query = await embeddings.EmbedAsync(situation);
        var candidates = _served
            .Select(g => (Group: g, Similarity: PoolEmbeddings.Cosine(query, g.Vector)))
            .Where(c => c.Similarity >= _options.MinQuerySimilarity)
            .OrderByDescending(c => c.Similarity)
            .ToList();

        var results = new List<PoolInsight>();
        foreach (var (group, similarity) in candidates)
        {
            if (await ServeAsync(group) is { } insight)
            {
                results.Add(insight with { Similarity = similarity });
                if (results.Count >= max)
                {
                    break;
                }
            }
        }

        return results;
    }

    public async Task<DigestPage> DigestAsync(int after, int max)
    {
        // A digest's positions are only stable once the log read back is whole again (a member's cursor
        // would otherwise skip what a half-rebuilt order put before it): until then, "try again".
        await GroupedOrBusyAsync();
        // Every wording of every served group, in the order it became served, so that positions stay
        // put while the pool grows and a member that keeps the cursor finds the new ones after it. Each
        // wording is its contributor's signed artifact and carries its group's robust evidence: the k
        // members behind the group vouch for all of them. A wording whose group no longer qualifies
        // (expired, or its contributors' reputations sank), or whose own author's reputation sank, is
        // passed over but still moves the cursor.
        var results = new List<PoolInsight>();
        var now = time.GetUtcNow();
        var position = Math.Clamp(after, 0, _servedWordings.Count);
        while (position < _servedWordings.Count && results.Count < max)
        {
            var (group, wording) = _servedWordings[position++];
            if (await ServeAsync(group) is { } insight && await IsWordingServedAsync(group, wording, now))
            {
                var artifact = wording.Artifact;
                results.Add(insight with { Situation = artifact.Situation, Advice = artifact.Advice, Action = artifact.Action, ArtifactJson = artifact.Json });
            }
        }

        return new DigestPage(results, position, position < _servedWordings.Count);
    }

    public async Task<IReadOnlyList<string>> WithdrawnAsync(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // A group still being rebuilt may lack members it had: whether it is withdrawn waits for it.
        await GroupedOrBusyAsync();
        var now = time.GetUtcNow();
        var withdrawn = new List<string>();
        foreach (var id in ids)
        {
            // Only what is known to be withdrawn: an id this pool cannot place (grouped otherwise since,
            // or from somewhere else) is left to the member's own verification.
            var isWithdrawn = _wordings.TryGetValue(id, out var known)
                ? await ServeAsync(known.Group) is null || !await IsWordingServedAsync(known.Group, known.Wording, now)
                : _groupById.TryGetValue(id, out var group) && await ServeAsync(group) is null;
            if (isWithdrawn)
            {
                withdrawn.Add(id);
            }
        }

        return withdrawn;
    }

    /// <summary>
    /// Whether a wording of a served group is served itself: not expired, and at least one member who
    /// published those words still reputable.
    /// </summary>
    private async ValueTask<bool> IsWordingServedAsync(PoolGroup group, PoolEntry wording, DateTimeOffset now)
    {
        if (wording.Artifact.Expires <= now || IsWithdrawnWording(wording))
        {
            return false;
        }

        foreach (var author in group.AuthorsOf(wording))
        {
            if ((await ReputationAsync(author, now)).CountsTowardK)
            {
                return true;
            }
        }

        return false;
    }

    private void AddToGroup(PoolGroup group, PoolEntry entry)
    {
        var before = group.Latest.Count;
        var newContributor = !group.Latest.ContainsKey(entry.Artifact.Contributor);
        var newWording = group.Add(entry);
        if (newContributor)
        {
            if (!_groupsByContributor.TryGetValue(entry.Artifact.Contributor, out var groups))
            {
                _groupsByContributor[entry.Artifact.Contributor] = groups = [];
            }

            groups.Add(group);
            OweCredit(group, entry);
        }

        if (newWording)
        {
            _wordings[WordingId.Of(group.Id, entry.Artifact.Id)] = (group, entry);
        }

        if (before < _options.K && group.Latest.Count >= _options.K)
        {
            _served.Add(group);
            _servedWordings.AddRange(group.Wordings.Select(w => (group, w)));
        }
        else if (newWording && before >= _options.K)
        {
            _servedWordings.Add((group, entry));
        }
    }

    /// <summary>
    /// A member earns credit for a group once another member backs it too: the first two when the
    /// second arrives, each later one as it joins. A group of one member's words alone earns nothing.
    /// </summary>
    private void OweCredit(PoolGroup group, PoolEntry entry)
    {
        var newContributor = entry.Artifact.Contributor;
        // What the log read back at activation earns nothing again: its credit was paid when it was
        // first grouped (or, if the silo stopped before that, it is not paid: never twice).
        if (entry.Sequence <= _replayedThrough || group.Latest.Count < 2)
        {
            return;
        }

        foreach (var contributor in group.Latest.Count == 2 ? group.Latest.Keys.ToList() : [newContributor])
        {
            _credits[contributor] = _credits.GetValueOrDefault(contributor) + 1;
        }
    }

    private async Task PayCreditsAsync()
    {
        if (_credits.Count == 0)
        {
            return;
        }

        var owed = _credits.ToList();
        _credits.Clear();
        var ledger = new LedgerPolicy(_options.CreditPerContribution, _options.ReadCost, _options.FreeReadsPerDay);
        try
        {
            await Task.WhenAll(owed.Select(o => GrainFactory.GetGrain<IContributorGrain>(o.Key).EarnCreditAsync(o.Value, ledger)));
        }
        catch (Exception ex)
        {
            // Credit is the members' reward, not their data: a failed payment is logged, not retried.
            LogCreditFailed(logger, ex, Topic);
        }
    }

    public async Task<FeedPage> ReadFeedAsync(long after, int max)
    {
        // What this pool no longer stands behind is not relayed: an expired artifact, or one whose
        // author's reputation here sank below what counts toward k (its words are withdrawn from
        // members too). It is passed over, but the cursor moves past it.
        var start = (int)Math.Clamp(after, 0, _log.Count);
        var count = Math.Clamp(max, 0, _log.Count - start);
        var now = time.GetUtcNow();
        var items = new List<StoredArtifact>(count);
        foreach (var entry in _log.GetRange(start, count))
        {
            if (entry.Artifact.Expires > now && !IsWithdrawn(entry) && (await ReputationAsync(entry.Artifact.Contributor, now)).CountsTowardK)
            {
                items.Add(entry.ToStored());
            }
        }

        var next = start + count;
        return new FeedPage(Topic, items, next, next < _log.Count);
    }

    public async Task<OutcomeResult> ReportOutcomeAsync(string reporter, string groupId, bool helpful, double? epsilon = null)
    {
        // A member reports by the id it staged a wording under: the report is about those words, so it
        // reaches their author alone. A wording is served on the strength of its group, and a member
        // who rides an honest group with words of a different situation must not sink the group's
        // other contributors. A report by the group's own id (a query's answer) reaches all of them.
        await GroupedOrBusyAsync();
        PoolEntry? wording = null;
        if (_wordings.TryGetValue(groupId, out var known))
        {
            wording = known.Wording;
        }
        else if (!_groupById.ContainsKey(groupId))
        {
            return new OutcomeResult(false, 0, $"The topic {Topic} has no group {WordingId.Group(groupId)} or no such wording of it.");
        }

        return await ApplyReportAsync(reporter, known.Group ?? _groupById[groupId], wording, helpful, epsilon);
    }

    private static bool IsReport(PoolEntry entry) => entry.Artifact.Kind == OutcomeKind;

    /// <summary>
    /// An <c>outcome</c> artifact is a member's report on an insight it imported, in the insight's own
    /// words (as they came back out of the member's export pipeline): it vouches for no group and counts
    /// toward no k. Published here by a member, and in the words of one of the pool's wordings, it moves
    /// the reputation of that wording's authors as a report through the API does. One relayed from a
    /// peer pool is only kept: its signer need not be a member here.
    /// </summary>
    private async Task ApplyReportArtifactAsync(Pending pending, PoolEntry report)
    {
        try
        {
            if (report.Artifact.Source is null)
            {
                await EnsureGroupedAsync();
                if (_groupByText.TryGetValue(report.Normalised, out var group)
                    && group.Wordings.Find(w => w.Normalised == report.Normalised) is { } wording)
                {
                    var artifact = report.Artifact;
                    await ApplyReportAsync(artifact.Contributor, group, wording, artifact.Successes > artifact.Failures, null);
                }
            }
        }
        catch (Exception ex)
        {
            // The report is stored either way; only its effect on reputations is lost.
            LogReportFailed(logger, ex, Topic);
        }
        finally
        {
            pending.Completion.TrySetResult(new PublishReceipt(report.Artifact.Id, Topic, report.Sequence, false, report.ReceivedAt));
        }
    }

    private async Task<OutcomeResult> ApplyReportAsync(string reporter, PoolGroup group, PoolEntry? wording, bool helpful, double? epsilon)
    {
        if (group.Latest.ContainsKey(reporter))
        {
            return new OutcomeResult(false, 0, "A contributor cannot report on a group it contributed to.");
        }

        var contributors = wording is null ? group.Latest.Keys.ToList() : group.AuthorsOf(wording).ToList();
        await Task.WhenAll(contributors.Select(c => GrainFactory.GetGrain<IContributorGrain>(c).ApplyOutcomeAsync(reporter, group.Id, helpful, epsilon)));
        foreach (var contributor in contributors)
        {
            // Their reputations changed: so may whether each of their groups is served.
            _reputations.Remove(contributor);
            foreach (var theirs in _groupsByContributor.GetValueOrDefault(contributor) ?? [])
            {
                theirs.Generation++;
            }
        }

        return new OutcomeResult(true, contributors.Count, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} stored an outcome report but could not apply it to reputations.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} could not credit members whose groups others now back.")]
    private static partial void LogCreditFailed(ILogger logger, Exception exception, string topic);
}
