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
/// log, kept in fixed-size segment grains: concurrent publishes are written together (group commit)
/// and answered only after the write. Groups and aggregates are derived from the log, so they are
/// rebuilt exactly when the grain activates again, on any silo.
/// </summary>
[Reentrant]
public sealed partial class InsightPoolGrain(
    PoolEmbeddings embeddings,
    IOptions<PoolOptions> options,
    TimeProvider time,
    ILogger<InsightPoolGrain> logger,
    TopicTextStore? texts = null,
    TopicDirectory? directory = null) : Grain, IInsightPoolGrain
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
    // Credit owed to members whose groups other members now back too, paid after each batch; none
    // while the log is being regrouped on activation (that credit was paid the first time).
    private readonly Dictionary<string, int> _credits = new(StringComparer.Ordinal);
    private bool _rebuilding;
    private bool _flushing;
    private bool _broken;
    private bool _topicRegistered;
    private Task? _grouping;

    private string Topic => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _rebuilding = true;
        // Where the log's texts were placed is read alongside the log: neither waits for the other.
        var stored = texts is null ? null : ReadPlacementsAsync(cancellationToken);
        await ReadLogAsync();
        var read = clock.Elapsed;
        _topicRegistered = _log.Count > 0;
        if (stored is not null)
        {
            _stored = await stored;
        }

        await LoadWithdrawalsAsync();
        await EnsureGroupedAsync();
        _stored = new Dictionary<string, (string, float[]?)>();
        _rebuilding = false;
        if (_log.Count > 0)
        {
            LogActivated(logger, Topic, _log.Count, _groups.Count, read.TotalMilliseconds, (clock.Elapsed - read).TotalMilliseconds);
        }
    }

    /// <summary>
    /// Reads the log, a few segments at a time, and checks every stored artifact again (parse and
    /// signature) on the thread pool, in parallel: the log is the truth the groups are rebuilt from.
    /// </summary>
    private async Task ReadLogAsync()
    {
        const int wave = 8;
        for (var first = 0; ; first += wave)
        {
            var segments = await Task.WhenAll(Enumerable.Range(first, wave).Select(i => Segment(i).ReadAsync()));
            var items = segments.SelectMany(s => s).ToList();
            var parsed = await Task.Run(() => items.AsParallel().AsOrdered().Select(i => InsightArtifactParser.Parse(i.Json)).ToList());
            for (var i = 0; i < items.Count; i++)
            {
                var (item, result) = (items[i], parsed[i]);
                if (!result.IsValid)
                {
                    LogUnreadable(logger, Topic, item.Sequence, result.Reason);
                    continue;
                }

                var entry = NewEntry(PooledArtifacts.From(result.Artifact, item.Json, item.Source), item.Sequence, item.ReceivedAt);
                _log.Add(entry);
                _byId[entry.Artifact.Id] = entry;
                if (!IsReport(entry))
                {
                    // (A report is applied once, when it comes; the contributors' grains keep what it did.)
                    _ungrouped.Enqueue(entry);
                }
            }

            if (segments.Any(s => s.Count < _options.SegmentSize))
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, (string GroupId, float[]? Vector)>> ReadPlacementsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await texts!.ReadAsync(Topic, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Only slower: every text is embedded again.
            LogPlacementsUnavailable(logger, ex, Topic);
            return new Dictionary<string, (string, float[]?)>();
        }
    }

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
            pending = new Pending(artifact);
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
        await EnsureGroupedAsync();
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
        await EnsureGroupedAsync();
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
        await EnsureGroupedAsync();
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
            OweCredit(group, entry.Artifact.Contributor);
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
    private void OweCredit(PoolGroup group, string newContributor)
    {
        if (_rebuilding || group.Latest.Count < 2)
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
        await EnsureGroupedAsync();
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
    private async Task ApplyReportArtifactAsync(PoolEntry report)
    {
        if (report.Artifact.Source is not null)
        {
            return;
        }

        await EnsureGroupedAsync();
        if (_groupByText.TryGetValue(report.Normalised, out var group)
            && group.Wordings.Find(w => w.Normalised == report.Normalised) is { } wording)
        {
            var artifact = report.Artifact;
            await ApplyReportAsync(artifact.Contributor, group, wording, artifact.Successes > artifact.Failures, null);
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

    private static PoolEntry NewEntry(PooledArtifact artifact, long sequence, DateTimeOffset receivedAt)
    {
        var display = TextKey.Display(artifact.Situation, artifact.Advice, artifact.Action);
        return new PoolEntry(artifact, sequence, receivedAt, TextKey.Normalise(display), display);
    }

    private IArtifactSegmentGrain Segment(long index) => GrainFactory.GetGrain<IArtifactSegmentGrain>($"{Topic}/{index}");

    private async Task FlushAsync()
    {
        try
        {
            if (!_topicRegistered)
            {
                // Members' publishes were registered (and capped) by the pool service; this covers
                // what peers relay, which their admins vouched for.
                if (directory is not null)
                {
                    await directory.TryRegisterAsync(Topic, int.MaxValue);
                }

                _topicRegistered = true;
            }

            while (_queue.Count > 0)
            {
                var first = _log.Count + 1L;
                var room = _options.SegmentSize - (int)((first - 1) % _options.SegmentSize);
                var batch = _queue.Take(room).ToList();
                _queue.RemoveRange(0, batch.Count);
                var receivedAt = time.GetUtcNow();
                var stored = batch.Select((p, i) => new StoredArtifact(first + i, p.Artifact.Json, receivedAt, p.Artifact.Source)).ToList();
                await Segment((first - 1) / _options.SegmentSize).AppendAsync(stored);

                var reports = new List<(Pending Pending, PoolEntry Entry)>();
                for (var i = 0; i < batch.Count; i++)
                {
                    var entry = NewEntry(batch[i].Artifact, first + i, receivedAt);
                    _log.Add(entry);
                    _byId[entry.Artifact.Id] = entry;
                    _pending.Remove(entry.Artifact.Id);
                    if (IsReport(entry))
                    {
                        reports.Add((batch[i], entry));
                        continue;
                    }

                    if (_groupByText.TryGetValue(entry.Normalised, out var group))
                    {
                        AddToGroup(group, entry);
                    }
                    else
                    {
                        _ungrouped.Enqueue(entry);
                    }

                    batch[i].Completion.TrySetResult(new PublishReceipt(entry.Artifact.Id, Topic, entry.Sequence, false, receivedAt));
                }

                await PayCreditsAsync();
                foreach (var (pending, entry) in reports)
                {
                    try
                    {
                        await ApplyReportArtifactAsync(entry);
                    }
                    catch (Exception ex)
                    {
                        // The report is stored either way; only its effect on reputations is lost.
                        LogReportFailed(logger, ex, Topic);
                    }
                    finally
                    {
                        pending.Completion.TrySetResult(new PublishReceipt(entry.Artifact.Id, Topic, entry.Sequence, false, receivedAt));
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // Whether the failed write reached the database is unknown: answer no one, and reload
            // the log from the database before accepting anything else.
            _broken = true;
            LogWriteFailed(logger, ex, Topic);
            foreach (var pending in _pending.Values)
            {
                pending.Completion.TrySetException(new InvalidOperationException($"The topic {Topic} could not store the artifact; try again.", ex));
            }

            _pending.Clear();
            _queue.Clear();
            DeactivateOnIdle();
        }
        finally
        {
            _flushing = false;
        }

        if (_ungrouped.Count > 0)
        {
            _ = EnsureGroupedAsync();
        }
    }

    /// <summary>
    /// Groups what is waiting, one grouping at a time: the running one if there is one, else a new one
    /// when artifacts wait (a finished or failed grouping is never waited on again).
    /// </summary>
    private Task EnsureGroupedAsync() =>
        _grouping is { IsCompleted: false } ? _grouping
        : _ungrouped.Count > 0 ? _grouping = GroupAsync()
        : Task.CompletedTask;

    private async Task GroupAsync()
    {
        try
        {
            while (_ungrouped.Count > 0)
            {
                // Taken off the queue only once grouped: a failed embedding leaves them for the next try.
                var batch = _ungrouped.Take(256).ToList();
                var texts = batch.Where(e => !_groupByText.ContainsKey(e.Normalised) && !_stored.ContainsKey(TopicTextStore.KeyOf(e.Normalised)))
                    .GroupBy(e => e.Normalised, StringComparer.Ordinal)
                    .Select(g => (Key: g.Key, g.First().Display))
                    .ToList();
                var vectors = texts.Count == 0 ? [] : await embeddings.EmbedAsync(texts.Select(t => t.Display).ToList());
                var vectorByText = new Dictionary<string, float[]>(StringComparer.Ordinal);
                for (var i = 0; i < texts.Count; i++)
                {
                    vectorByText[texts[i].Key] = vectors[i];
                }

                var placed = new List<TextPlacement>();
                foreach (var entry in batch)
                {
                    if (!_groupByText.TryGetValue(entry.Normalised, out var group))
                    {
                        group = PlaceStored(entry) ?? await PlaceAsync(entry, vectorByText, placed);
                        _groupByText[entry.Normalised] = group;
                    }

                    AddToGroup(group, entry);
                    _ungrouped.Dequeue();
                }

                await RecordPlacementsAsync(placed);
                await PayCreditsAsync();
            }
        }
        catch (Exception ex)
        {
            LogGroupingFailed(logger, ex, Topic);
            throw;
        }
    }

    /// <summary>The group a text was placed in before this activation, if it is known and can be rebuilt.</summary>
    private PoolGroup? PlaceStored(PoolEntry entry)
    {
        if (!_stored.TryGetValue(TopicTextStore.KeyOf(entry.Normalised), out var stored))
        {
            return null;
        }

        if (_groupById.TryGetValue(stored.GroupId, out var group))
        {
            return group;
        }

        // The text founded its group: the group comes back with the vector it had.
        return stored.Vector is null ? null : NewGroup(stored.GroupId, entry, stored.Vector);
    }

    /// <summary>Places a text by its embedding: the nearest group, or a new one it founds.</summary>
    private async Task<PoolGroup> PlaceAsync(PoolEntry entry, Dictionary<string, float[]> vectorByText, List<TextPlacement> placed)
    {
        if (!vectorByText.TryGetValue(entry.Normalised, out var vector))
        {
            // Recorded in a group that can no longer be rebuilt (its founder is gone): embedded anew.
            vector = vectorByText[entry.Normalised] = await embeddings.EmbedAsync(entry.Display);
        }

        var group = Nearest(vector, entry.Artifact.Action);
        var founds = group is null;
        group ??= NewGroup(TextKey.GroupId(entry.Normalised), entry, vector);
        placed.Add(new TextPlacement(entry.Normalised, group.Id, founds ? vector : null));
        return group;
    }

    private PoolGroup NewGroup(string id, PoolEntry founder, float[] vector)
    {
        var group = new PoolGroup(id, founder, vector);
        _groups.Add(group);
        _groupById[group.Id] = group;
        return group;
    }

    private async Task RecordPlacementsAsync(List<TextPlacement> placed)
    {
        if (texts is null || placed.Count == 0)
        {
            return;
        }

        try
        {
            await texts.WriteAsync(Topic, placed);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Only slower: the next activation embeds these texts again.
            LogPlacementsUnavailable(logger, ex, Topic);
        }
    }

    /// <summary>
    /// The group this text joins: the most similar one at or above the threshold that recommends the
    /// same action (artifacts that name different actions never say the same thing, however alike
    /// their situations read).
    /// </summary>
    private PoolGroup? Nearest(float[] vector, string? action)
    {
        PoolGroup? best = null;
        var bestSimilarity = _options.SimilarityThreshold;
        foreach (var group in _groups)
        {
            if (!string.Equals(group.Founder.Artifact.Action, action, StringComparison.Ordinal))
            {
                continue;
            }

            var similarity = PoolEmbeddings.Cosine(vector, group.Vector);
            if (similarity >= bestSimilarity)
            {
                best = group;
                bestSimilarity = similarity;
            }
        }

        return best;
    }

    /// <summary>One contributor's reputation, from the same cache as <see cref="ReputationsAsync"/>.</summary>
    private async ValueTask<ContributorReputation> ReputationAsync(string contributor, DateTimeOffset now)
    {
        if (_reputations.TryGetValue(contributor, out var known) && now - known.At <= ReputationTtl)
        {
            return known.Reputation;
        }

        var fetched = await GrainFactory.GetGrain<IContributorGrain>(contributor).GetReputationAsync(_options.Standing());
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
            if (_reputations.TryGetValue(contributor, out var known) && now - known.At <= ReputationTtl)
            {
                snapshot[contributor] = known.Reputation;
            }
            else
            {
                stale.Add(contributor);
            }
        }

        if (stale.Count > 0)
        {
            var fetched = await Task.WhenAll(stale.Select(c => GrainFactory.GetGrain<IContributorGrain>(c).GetReputationAsync(_options.Standing())));
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The topic {Topic} could not write its log; it reloads from the database.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} stored an outcome report but could not apply it to reputations.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "The topic {Topic} could not group new artifacts.")]
    private static partial void LogGroupingFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "The topic {Topic} activated: {Artifacts} artifacts in {Groups} groups; log read in {ReadMs:F0} ms, grouped in {GroupMs:F0} ms.")]
    private static partial void LogActivated(ILogger logger, string topic, int artifacts, int groups, double readMs, double groupMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} could not credit members whose groups others now back.")]
    private static partial void LogCreditFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} could not read or record where its texts were grouped; it embeds them instead.")]
    private static partial void LogPlacementsUnavailable(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} skipped an unreadable stored artifact at {Sequence}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string topic, long sequence, string reason);

    private sealed record ServedGroup(PoolInsight? Insight, int Generation, DateTimeOffset At, DateTimeOffset FirstExpiry);

    private sealed class Pending(PooledArtifact artifact)
    {
        public PooledArtifact Artifact { get; } = artifact;

        public TaskCompletionSource<PublishReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
