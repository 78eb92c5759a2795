using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Learning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Learning;

/// <summary>
/// The person's playbook as a grain: the <see cref="Playbook"/> engine over persisted state, with
/// situation vectors from the shared (cached) embedding generator. Selections are logged in memory
/// and written with the next change or on deactivation; every change is written at once.
/// </summary>
public sealed partial class PlaybookGrain(
    [PersistentState("playbook", StorageNames.Personal)] IPersistentState<PlaybookState> state,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<PlaybookOptions> options,
    TimeProvider time,
    ILogger<PlaybookGrain> logger) : Grain, IPlaybookGrain
{
    /// <summary>A request repeated within this time, this alike, counts against the reply to the first.</summary>
    private static readonly TimeSpan RestatementWindow = TimeSpan.FromMinutes(2);
    private const double RestatementSimilarity = 0.85;
    private const int UnsavedEpisodesLimit = 20;

    private Playbook _playbook = null!;
    private int _unsavedEpisodes;
    private float[]? _lastSituation;
    private string? _lastEpisodeId;
    private Dictionary<string, float[]>? _actionNames;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _playbook = new Playbook(state.State, options.Value, new Random());
        var missing = _playbook.MissingVectors().ToList();
        if (missing.Count > 0)
        {
            var vectors = await embeddings.GenerateAsync(missing.Select(e => e.Situation), cancellationToken: cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _playbook.Index.Set(missing[i].Id, vectors[i].Vector.Span);
            }
        }

        LogActivated(logger, missing.Count, state.State.Entries.Count);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsavedEpisodes > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<Selection> SelectAsync(string situation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(situation);
        var vector = await EmbedAsync(situation);
        await NoticeRestatementAsync(vector);
        var selection = _playbook.Select(situation, vector, time.GetUtcNow());
        Remember(selection.EpisodeId, vector);
        await EpisodeLoggedAsync();
        return selection;
    }

    public async Task<ActionDecision> ChooseActionAsync(string situation, IReadOnlyList<string> actions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(situation);
        ArgumentNullException.ThrowIfNull(actions);
        var vector = await EmbedAsync(situation);
        var names = await ActionNameSimilarityAsync(vector, actions);
        var decision = _playbook.ChooseAction(situation, vector, actions, names, time.GetUtcNow());
        Remember(decision.EpisodeId, vector);
        await EpisodeLoggedAsync();
        return decision;
    }

    public async Task<FeedbackOutcome> FeedbackAsync(string episodeId, Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (_playbook.FindEpisode(episodeId) is not { } episode)
        {
            return new FeedbackOutcome(false, null, false);
        }

        var vector = await EmbedAsync(episode.Situation);
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

    private async Task<float[]> EmbedAsync(string text) => (await embeddings.GenerateAsync([text]))[0].Vector.ToArray();

    /// <summary>
    /// The owner asking again, in other words, right after a reply counts against that reply
    /// (weaker than /bad): the implicit signal people give without typing a command.
    /// </summary>
    private async Task NoticeRestatementAsync(float[] vector)
    {
        if (_lastEpisodeId is null || _lastSituation is null || _playbook.FindEpisode(_lastEpisodeId) is not { Reward: null } last)
        {
            return;
        }

        if (time.GetUtcNow() - last.At <= RestatementWindow && EmbeddingIndex.Cosine(vector, _lastSituation) >= RestatementSimilarity)
        {
            _playbook.ApplyFeedback(last.Id, new Feedback(FeedbackKind.Restated), _lastSituation, time.GetUtcNow());
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

    private void Remember(string episodeId, float[] vector)
    {
        _lastEpisodeId = episodeId;
        _lastSituation = vector;
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
        await state.WriteStateAsync();
        _unsavedEpisodes = 0;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Playbook activated: {Embedded} situations embedded, {Entries} entries.")]
    private static partial void LogActivated(ILogger logger, int embedded, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Episode {Episode} restated right away; counted against it.")]
    private static partial void LogRestated(ILogger logger, string episode);
}
