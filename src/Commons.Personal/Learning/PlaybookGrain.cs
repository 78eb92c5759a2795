using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Learning;
using Commons.Privacy.Policies;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Learning;

/// <summary>
/// The person's playbook as a grain: the <see cref="Playbook"/> engine over persisted state, with
/// situation vectors from the shared (cached) embedding generator. Selections are logged in memory
/// and written with the next change or on deactivation; every change is written at once. Imported
/// insights are staged and judged on the owner's logged episodes, under the owner's guard-rails.
/// </summary>
public sealed partial class PlaybookGrain(
    [PersistentState("playbook", StorageNames.Personal)] IPersistentState<PlaybookState> state,
    [PersistentState("imports", StorageNames.Personal)] IPersistentState<ImportLedger> imports,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<PlaybookOptions> options,
    GuardRailProvider guardRails,
    TimeProvider time,
    ILogger<PlaybookGrain> logger) : Grain, IPlaybookGrain
{
    /// <summary>A request repeated within this time, this alike, counts against the reply to the first.</summary>
    private static readonly TimeSpan RestatementWindow = TimeSpan.FromMinutes(2);
    private const double RestatementSimilarity = 0.85;
    private const int UnsavedEpisodesLimit = 20;

    private Playbook _playbook = null!;
    private int _unsavedEpisodes;
    private int _unsavedChanges;
    private string? _lastEpisodeId;
    private Dictionary<string, float[]>? _actionNames;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var seed = options.Value.Seed is int fixedSeed
            ? fixedSeed ^ StableHash(this.GetPrimaryKeyString())
            : Random.Shared.Next();
        _playbook = new Playbook(state.State, options.Value, new Random(seed));
        var missing = _playbook.MissingVectors().ToList();
        if (missing.Count > 0)
        {
            var vectors = await embeddings.GenerateAsync(missing.Select(e => e.Situation), cancellationToken: cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _playbook.Index.Set(missing[i].Id, vectors[i].Vector.Span);
            }
        }

        // Judging imports needs the situation of every logged episode; only staged imports need it.
        if (state.State.Entries.Any(e => e.Status == EntryStatus.Staged))
        {
            await RestoreEpisodeVectorsAsync(cancellationToken);
        }

        LogActivated(logger, missing.Count, state.State.Entries.Count);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsavedEpisodes > 0 || _unsavedChanges > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<ActionDecision> ChooseActionAsync(string situation, IReadOnlyList<string> actions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(situation);
        ArgumentNullException.ThrowIfNull(actions);
        var vector = await EmbedAsync(situation);
        var names = await ActionNameSimilarityAsync(vector, actions);
        var decision = _playbook.ChooseAction(situation, vector, actions, names, time.GetUtcNow());
        _lastEpisodeId = decision.EpisodeId;
        await EpisodeLoggedAsync();
        return decision;
    }

    public async Task<TurnDecision> DecideTurnAsync(string situation, IReadOnlyList<string> actions, string? fallback = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(situation);
        ArgumentNullException.ThrowIfNull(actions);
        var vector = await EmbedAsync(situation);
        await NoticeRestatementAsync(vector);
        var names = await ActionNameSimilarityAsync(vector, actions);
        var decision = _playbook.DecideTurn(situation, vector, actions, names, time.GetUtcNow(), fallback: fallback);
        _lastEpisodeId = decision.EpisodeId;
        await EpisodeLoggedAsync();
        return decision;
    }

    public Task<TurnExplanation?> ExplainAsync(string episodeId)
    {
        if (_playbook.FindEpisode(episodeId) is not { } episode)
        {
            return Task.FromResult<TurnExplanation?>(null);
        }

        var inPrompt = episode.Selected.ToDictionary(s => s.EntryId, s => s.Propensity, StringComparer.Ordinal);
        var influences = episode.Selected.Select(s => s.EntryId).Concat(episode.EvidenceEntryIds).Distinct(StringComparer.Ordinal)
            .Select(id => _playbook.Find(id))
            .OfType<PlaybookEntry>()
            .Select(e => new TurnInfluence(e.Id, e.Situation, e.Advice, e.Action, e.Origin,
                e.Origin == EntryOrigin.Imported ? Commons.Learning.Playbook.PoolOf(e) : null, e.Status == EntryStatus.Staged,
                inPrompt.ContainsKey(e.Id), inPrompt.TryGetValue(e.Id, out var p) ? p : null))
            .ToList();
        return Task.FromResult<TurnExplanation?>(new TurnExplanation(episode.Id, episode.Action, episode.ActionPropensity, influences));
    }

    public async Task<FeedbackOutcome> FeedbackAsync(string episodeId, Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (_playbook.FindEpisode(episodeId) is not { } episode)
        {
            return new FeedbackOutcome(false, null, false);
        }

        // The vector was kept when the episode was logged (or restored on activation): no second embedding.
        var vector = _playbook.EpisodeVector(episodeId) ?? await EmbedAsync(episode.Situation);
        var result = _playbook.ApplyFeedback(episodeId, feedback, vector, time.GetUtcNow());
        if (result.Applied)
        {
            await SaveAsync();
        }

        return new FeedbackOutcome(result.Applied, result.Entry?.Id, result.ReflectionDue);
    }

    public async Task<PlaybookEntry> AddEntryAsync(string situation, string advice, string? action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(situation);
        var vector = await EmbedAsync(situation);
        var (entry, _) = _playbook.AddOrMerge(new NewEntry(situation, advice ?? "", action, 0, 0, EntryOrigin.Owner), vector, time.GetUtcNow());
        await SaveAsync();
        return entry;
    }

    public async Task<bool> EditEntryAsync(string entryId, string? advice, string? action)
    {
        var changed = _playbook.Edit(entryId, advice, action, time.GetUtcNow());
        if (changed)
        {
            await SaveAsync();
        }

        return changed;
    }

    public async Task<bool> RetireEntryAsync(string entryId)
    {
        var changed = _playbook.Retire(entryId, "retired by the owner", time.GetUtcNow());
        if (changed)
        {
            await SaveAsync();
        }

        return changed;
    }

    public Task<PlaybookEntry?> GetEntryAsync(string entryId) => Task.FromResult(_playbook.Find(entryId));

    public Task<IReadOnlyList<PlaybookEntry>> ListEntriesAsync(bool includeRetired) =>
        Task.FromResult<IReadOnlyList<PlaybookEntry>>(_playbook.Entries.Where(e => includeRetired || e.Status != EntryStatus.Retired).ToList());

    public async Task<ReflectionResult> ApplyDeltasAsync(IReadOnlyList<PlaybookDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var situations = deltas.Where(d => d.Kind == PlaybookDeltaKind.Add && !string.IsNullOrWhiteSpace(d.Situation)).Select(d => d.Situation!).Distinct().ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (situations.Count > 0)
        {
            var generated = await embeddings.GenerateAsync(situations);
            for (var i = 0; i < situations.Count; i++)
            {
                vectors[situations[i]] = generated[i].Vector.ToArray();
            }
        }

        var result = _playbook.ApplyDeltas(deltas.Select(d => (d, d.Situation is not null ? vectors.GetValueOrDefault(d.Situation) : null)).ToList(), time.GetUtcNow());
        await SaveAsync();
        return result;
    }

    public Task<IReadOnlyList<Episode>> GetEpisodesAsync(int max) =>
        Task.FromResult<IReadOnlyList<Episode>>(state.State.Episodes.TakeLast(Math.Max(0, max)).ToList());

    public async Task<IReadOnlyList<ImportReview>> StageImportsAsync(IReadOnlyList<ImportedInsight> insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        foreach (var insight in insights)
        {
            if (insight is null || string.IsNullOrWhiteSpace(insight.ArtifactId) || string.IsNullOrWhiteSpace(insight.Situation)
                || (string.IsNullOrWhiteSpace(insight.Advice) && string.IsNullOrWhiteSpace(insight.Action)))
            {
                throw new ArgumentException("Every imported insight needs an artifact id, a situation and advice or an action.", nameof(insights));
            }
        }

        var rails = LoadGuardRails("nothing was imported");
        await RestoreEpisodeVectorsAsync(CancellationToken.None);
        var fresh = insights.Where(i => KnownReview(i.ArtifactId) is null).DistinctBy(i => i.ArtifactId, StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (fresh.Count > 0)
        {
            var generated = await embeddings.GenerateAsync(fresh.Select(i => i.Situation));
            for (var i = 0; i < fresh.Count; i++)
            {
                vectors[fresh[i].ArtifactId] = generated[i].Vector.ToArray();
            }
        }

        var now = time.GetUtcNow();
        var reviews = new List<ImportReview>(insights.Count);
        foreach (var insight in insights)
        {
            if (KnownReview(insight.ArtifactId) is { } known)
            {
                reviews.Add(known);
                continue;
            }

            imports.State.Topics[insight.ArtifactId] = insight.Topic;
            if (rails.FirstBreach(insight.Topic, "", "", null) is { } blocked)
            {
                // A topic the owner never acts on: the insight does not even enter the playbook.
                var review = new ImportReview("b" + (imports.State.NextBlockedNumber++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    insight.ArtifactId, insight.Pool, insight.Contributor, ImportDecision.Rejected, GuardRailSet.Describe(blocked.Rule, blocked.Why),
                    null, null, null, null, 0, 0, 0, now);
                imports.State.Blocked.Add(review);
                reviews.Add(review);
                continue;
            }

            reviews.Add(_playbook.Stage(insight, vectors[insight.ArtifactId], rails.Contracts, now));
        }

        await imports.WriteStateAsync();
        await SaveAsync();
        LogStaged(logger, insights.Count, reviews.Count(r => r.Decision == ImportDecision.Adopted), reviews.Count(r => r.Decision == ImportDecision.Rejected));
        return reviews;
    }

    public Task<IReadOnlyList<StagedImport>> ListImportsAsync(string pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Task.FromResult<IReadOnlyList<StagedImport>>(_playbook.ImportsFrom(pool)
            .Concat(imports.State.Blocked.Where(r => string.Equals(r.Pool, pool, StringComparison.Ordinal)).Select(r => r.ArtifactId))
            .Select(id => new StagedImport(id, imports.State.Topics.GetValueOrDefault(id, "")))
            .ToList());
    }

    public async Task<int> WithdrawImportsAsync(string pool, IReadOnlyList<string> artifactIds)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(artifactIds);
        var withdrawn = _playbook.Withdraw(pool, artifactIds, time.GetUtcNow());
        if (withdrawn > 0)
        {
            await SaveAsync();
        }

        return withdrawn;
    }

    public Task<IReadOnlyList<ImportReview>> ListImportReviewsAsync() =>
        Task.FromResult<IReadOnlyList<ImportReview>>(_playbook.ImportReviews.Concat(imports.State.Blocked).OrderBy(r => r.Decided).ToList());

    public async Task<ImportOverrideResult> OverrideImportAsync(string entryId, bool adopt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entryId);
        if (imports.State.Blocked.Find(r => r.EntryId == entryId) is { } blocked)
        {
            return new ImportOverrideResult(false, adopt
                ? $"cannot adopt {entryId}: it {blocked.Reason}; a guard-rail cannot be overridden here: change {GuardRailSet.FileName} in the policies folder first"
                : $"the insight {entryId} is already rejected", blocked);
        }

        if (_playbook.Find(entryId) is not { Origin: EntryOrigin.Imported } entry || _playbook.FindReview(entryId) is not { } review)
        {
            return new ImportOverrideResult(false, $"there is no imported insight {entryId}", null);
        }

        if (adopt)
        {
            GuardRailSet rails;
            try
            {
                rails = guardRails.GetCurrent();
            }
            catch (PolicyLoadException ex)
            {
                LogGuardRailsFailed(logger, ex);
                return new ImportOverrideResult(false, $"the guard-rails did not load, so nothing can be adopted: {ex.Message}", review);
            }

            if (rails.FirstBreach(imports.State.Topics.GetValueOrDefault(review.ArtifactId), entry.Situation, entry.Advice, entry.Action) is { } breach)
            {
                return new ImportOverrideResult(false,
                    $"cannot adopt {entryId}: it {GuardRailSet.Describe(breach.Rule, breach.Why)}; change {GuardRailSet.FileName} in the policies folder to adopt it", review);
            }
        }

        var decided = _playbook.Override(entryId, adopt, time.GetUtcNow());
        if (adopt && !_playbook.Index.Contains(entryId))
        {
            // A rejected entry left the index when it was retired; an adopted one must be found again.
            _playbook.Index.Set(entryId, await EmbedAsync(entry.Situation));
        }

        await SaveAsync();
        return new ImportOverrideResult(decided is not null, adopt ? $"adopted {entryId}" : $"rejected {entryId}", decided);
    }

    public async Task<IReadOnlyList<PendingOutcomeReport>> TakeOutcomeReportsAsync()
    {
        var reports = _playbook.TakeOutcomeReports();
        if (reports.Count == 0)
        {
            return [];
        }

        var pending = new List<PendingOutcomeReport>(reports.Count);
        foreach (var report in reports)
        {
            var source = $"{report.Pool}/{report.ArtifactId}";
            var entry = _playbook.Entries.LastOrDefault(e => e.Origin == EntryOrigin.Imported && e.Source == source);
            pending.Add(new PendingOutcomeReport(report, imports.State.Topics.GetValueOrDefault(report.ArtifactId, ""),
                entry?.Situation ?? "", entry?.Advice ?? "", entry?.Action));
        }

        await SaveAsync();
        return pending;
    }

    private ImportReview? KnownReview(string artifactId) =>
        _playbook.FindReviewOfArtifact(artifactId) ?? imports.State.Blocked.Find(r => r.ArtifactId == artifactId);

    private GuardRailSet LoadGuardRails(string consequence)
    {
        try
        {
            return guardRails.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            LogGuardRailsFailed(logger, ex);
            throw new CommonsException($"The guard-rails did not load, so {consequence}: {ex.Message}", ex);
        }
    }

    /// <summary>Embeds the situations of logged episodes whose vectors are not known (after activation); cached texts cost little.</summary>
    private async Task RestoreEpisodeVectorsAsync(CancellationToken cancellationToken)
    {
        var missing = _playbook.EpisodesMissingVectors().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var vectors = await embeddings.GenerateAsync(missing.Select(e => e.Situation), cancellationToken: cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            _playbook.SetEpisodeVector(missing[i].Id, vectors[i].Vector.Span);
        }

        LogEpisodesRestored(logger, missing.Count);
    }

    private async Task<float[]> EmbedAsync(string text) => (await embeddings.GenerateAsync([text]))[0].Vector.ToArray();

    /// <summary>
    /// The owner asking again, in other words, right after a reply counts against that reply
    /// (weaker than /bad): the implicit signal people give without typing a command.
    /// </summary>
    private async Task NoticeRestatementAsync(float[] vector)
    {
        if (_lastEpisodeId is null || _playbook.FindEpisode(_lastEpisodeId) is not { Reward: null } last
            || _playbook.EpisodeVector(last.Id) is not { } lastSituation)
        {
            return;
        }

        if (time.GetUtcNow() - last.At <= RestatementWindow && EmbeddingIndex.Cosine(vector, lastSituation) >= RestatementSimilarity)
        {
            _playbook.ApplyFeedback(last.Id, new Feedback(FeedbackKind.Restated), lastSituation, time.GetUtcNow());
            LogRestated(logger, last.Id);
            await SaveAsync();
        }
    }

    private async Task<double[]?> ActionNameSimilarityAsync(float[] vector, IReadOnlyList<string> actions)
    {
        _actionNames ??= new Dictionary<string, float[]>(StringComparer.Ordinal);
        var unknown = actions.Where(a => !_actionNames.ContainsKey(a)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            // "calendar_set" reads as "calendar set" to the embedding model.
            var generated = await embeddings.GenerateAsync(unknown.Select(a => a.Replace('_', ' ').Replace('.', ' ')));
            for (var i = 0; i < unknown.Count; i++)
            {
                _actionNames[unknown[i]] = generated[i].Vector.ToArray();
            }
        }

        return actions.Select(a => EmbeddingIndex.Cosine(vector, _actionNames[a])).ToArray();
    }

    private async Task EpisodeLoggedAsync()
    {
        if (++_unsavedEpisodes >= UnsavedEpisodesLimit)
        {
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        if (++_unsavedChanges < options.Value.SaveEvery)
        {
            return;
        }

        await state.WriteStateAsync();
        _unsavedEpisodes = 0;
        _unsavedChanges = 0;
    }

    private static int StableHash(string text)
    {
        // string.GetHashCode differs between processes; a seed must not.
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Playbook activated: {Embedded} situations embedded, {Entries} entries.")]
    private static partial void LogActivated(ILogger logger, int embedded, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Imports staged: {Count} insights, {Adopted} adopted, {Rejected} rejected.")]
    private static partial void LogStaged(ILogger logger, int count, int adopted, int rejected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Episode situations embedded for import verification: {Count}.")]
    private static partial void LogEpisodesRestored(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The guard-rails did not load; imports are refused.")]
    private static partial void LogGuardRailsFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Episode {Episode} restated right away; counted against it.")]
    private static partial void LogRestated(ILogger logger, string episode);
}
