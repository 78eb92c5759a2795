using System.Globalization;
using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>
/// What an agent has learned, and the policies that use it: a contextual bandit over playbook
/// entries. Entries are found by cosine similarity of their situation to the current one and
/// chosen by Thompson sampling on their Beta posteriors; every choice is logged with its
/// probability (estimated by repeating the randomised choice), so other policies can be
/// evaluated off-line on the log. Changes are small and deterministic: near-duplicates merge
/// their counters, a size cap retires the lowest-value entries, nothing is ever rewritten whole.
/// The caller embeds texts; this class never sees a model.
/// </summary>
public sealed partial class Playbook
{
    private const double KnownBadMean = 0.35;
    private const int ChatCandidates = 16;
    private const double RestatedWeight = 0.5;
    private const double EvidenceCreditWeight = 0.5;
    private const double UnknownAlpha = 0.2;
    private const double UnknownBeta = 0.5;

    private readonly PlaybookOptions _options;
    private readonly Random _random;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public Playbook(PlaybookState state, PlaybookOptions options, Random random, int dimensions = 384)
    {
        State = state ?? throw new ArgumentNullException(nameof(state));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        Index = new EmbeddingIndex(dimensions, Math.Max(64, state.Entries.Count));
        for (var i = 0; i < state.Entries.Count; i++)
        {
            _positions[state.Entries[i].Id] = i;
        }

        for (var i = 0; i < state.ImportReviews.Count; i++)
        {
            _reviewPositions[state.ImportReviews[i].EntryId] = i;
            _reviewByArtifact[state.ImportReviews[i].ArtifactId] = i;
        }
    }

    public PlaybookState State { get; }

    /// <summary>Situation vectors of the entries that have one (all usable entries, once restored).</summary>
    public EmbeddingIndex Index { get; }

    public IReadOnlyList<PlaybookEntry> Entries => State.Entries;

    public PlaybookEntry? Find(string id) => _positions.TryGetValue(id, out var i) ? State.Entries[i] : null;

    public Episode? FindEpisode(string id) => State.Episodes.FindLast(e => e.Id == id);

    /// <summary>Entries (not retired) whose vectors are not in the index yet, e.g. after loading the state.</summary>
    public IEnumerable<PlaybookEntry> MissingVectors() =>
        State.Entries.Where(e => e.Status != EntryStatus.Retired && !Index.Contains(e.Id));

    /// <summary>
    /// Applies the owner's feedback to an episode: the entries it used are credited, the situation and
    /// the action taken become (or strengthen) an entry, and a correction becomes an entry of its own.
    /// <paramref name="situation"/> is the embedding of the episode's situation text.
    /// </summary>
    public FeedbackResult ApplyFeedback(string episodeId, Feedback feedback, ReadOnlySpan<float> situation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var index = State.Episodes.FindLastIndex(e => e.Id == episodeId);
        if (index < 0)
        {
            return new FeedbackResult(false, null, false);
        }

        var episode = State.Episodes[index];
        SetEpisodeVector(episode.Id, situation);
        var firstFeedback = episode.Reward is null;
        if (!firstFeedback && feedback.Kind != FeedbackKind.Fix)
        {
            // One reward per episode; a correction may still follow a /bad.
            return new FeedbackResult(false, null, false);
        }

        var reward = feedback.Kind == FeedbackKind.Good ? 1.0 : 0.0;
        var weight = feedback.Kind == FeedbackKind.Restated ? RestatedWeight : 1.0;
        PlaybookEntry? touched = null;
        if (firstFeedback)
        {
            foreach (var used in episode.Selected)
            {
                Credit(used.EntryId, reward * weight, (1 - reward) * weight, now);
            }

            // Asking again counts against the advice a reply used, but says nothing about which action was right.
            if (episode.Action is not null && feedback.Kind != FeedbackKind.Restated)
            {
                foreach (var id in episode.EvidenceEntryIds)
                {
                    Credit(id, reward * weight * EvidenceCreditWeight, (1 - reward) * weight * EvidenceCreditWeight, now);
                }

                touched = AddOrMerge(new NewEntry(episode.Situation, "", episode.Action, reward * weight, (1 - reward) * weight, EntryOrigin.Learned), situation, now).Entry;
            }

            State.FeedbackSinceReflection++;
            AfterFeedback(episode, reward, now);
        }

        var correction = feedback.Correction?.Trim();
        if (feedback.Kind == FeedbackKind.Fix && !string.IsNullOrEmpty(correction))
        {
            // A correction is strong evidence: the owner said what should have happened.
            var entry = feedback.CorrectsAction ?? episode.Action is not null
                ? new NewEntry(episode.Situation, "", Clip(correction), 2, 0, EntryOrigin.Correction)
                : new NewEntry(episode.Situation, Clip(correction), null, 2, 0, EntryOrigin.Correction);
            touched = AddOrMerge(entry, situation, now).Entry;
        }

        State.Episodes[index] = episode with
        {
            Reward = firstFeedback ? reward : episode.Reward,
            Correction = correction ?? episode.Correction,
        };
        EnforceCap(now);
        ReviewApplicable(situation, now);
        var due = _options.ReflectEvery > 0 && State.FeedbackSinceReflection >= _options.ReflectEvery;
        return new FeedbackResult(true, touched, due);
    }

    /// <summary>
    /// Adds an entry, or merges it into an existing one when their situations are at least
    /// <see cref="PlaybookOptions.DedupeSimilarity"/> alike and they recommend the same thing: the
    /// counters are added and the older entry's text kept.
    /// </summary>
    public (PlaybookEntry Entry, bool Merged) AddOrMerge(NewEntry candidate, ReadOnlySpan<float> situation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var advice = Clip(candidate.Advice.Trim());
        var action = string.IsNullOrWhiteSpace(candidate.Action) ? null : candidate.Action.Trim();
        var twin = Index.Nearest(situation, 4, _options.DedupeSimilarity, id =>
            Find(id) is { } e && e.Status == candidate.Status && e.Status != EntryStatus.Retired && SameAdvice(e, advice, action));
        if (twin.Count > 0)
        {
            var existing = Find(twin[0].Id)!;
            var merged = existing with
            {
                Successes = existing.Successes + candidate.Successes,
                Failures = existing.Failures + candidate.Failures,
                PriorSuccesses = existing.PriorSuccesses + candidate.PriorSuccesses,
                PriorFailures = existing.PriorFailures + candidate.PriorFailures,
                Updated = now,
            };
            Replace(merged);
            return (merged, true);
        }

        var entry = new PlaybookEntry(
            "e" + (State.NextEntryNumber++).ToString(CultureInfo.InvariantCulture),
            Clip(candidate.Situation.Trim()),
            advice,
            action,
            candidate.Successes,
            candidate.Failures,
            candidate.PriorSuccesses,
            candidate.PriorFailures,
            candidate.Origin,
            candidate.Status,
            now,
            now,
            0,
            candidate.Source,
            candidate.Note);
        _positions[entry.Id] = State.Entries.Count;
        State.Entries.Add(entry);
        Index.Set(entry.Id, situation);
        EnforceCap(now);
        return (entry, false);
    }

    /// <summary>Changes an entry's advice or action, keeping its counters; false when it does not exist or is retired.</summary>
    public bool Edit(string id, string? advice, string? action, DateTimeOffset now)
    {
        if (Find(id) is not { Status: not EntryStatus.Retired } entry)
        {
            return false;
        }

        Replace(entry with
        {
            Advice = advice is null ? entry.Advice : Clip(advice.Trim()),
            Action = action is null ? entry.Action : (action.Trim().Length == 0 ? null : action.Trim()),
            Origin = EntryOrigin.Owner,
            Updated = now,
        });
        return true;
    }

    /// <summary>Retires an entry; false when it does not exist or is already retired.</summary>
    public bool Retire(string id, string reason, DateTimeOffset now)
    {
        if (Find(id) is not { Status: not EntryStatus.Retired } entry)
        {
            return false;
        }

        Replace(entry with { Status = EntryStatus.Retired, Note = reason, Updated = now });
        Index.Remove(id);
        return true;
    }

    /// <summary>Merges reflection's proposals; each delta is checked and applied on its own.</summary>
    public ReflectionResult ApplyDeltas(IReadOnlyList<(PlaybookDelta Delta, float[]? Situation)> deltas, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        int added = 0, merged = 0, edited = 0, retired = 0, rejected = 0;
        foreach (var (delta, vector) in deltas)
        {
            switch (delta.Kind)
            {
                case PlaybookDeltaKind.Add when !string.IsNullOrWhiteSpace(delta.Situation)
                    && (!string.IsNullOrWhiteSpace(delta.Advice) || !string.IsNullOrWhiteSpace(delta.Action))
                    && vector is not null:
                    var (_, wasMerged) = AddOrMerge(new NewEntry(delta.Situation, delta.Advice ?? "", delta.Action, 0, 0, EntryOrigin.Reflection), vector, now);
                    if (wasMerged)
                    {
                        merged++;
                    }
                    else
                    {
                        added++;
                    }

                    break;
                case PlaybookDeltaKind.Edit when delta.EntryId is not null && !string.IsNullOrWhiteSpace(delta.Advice)
                    && Find(delta.EntryId) is { Status: EntryStatus.Active, Origin: not EntryOrigin.Owner }:
                    Replace(Find(delta.EntryId)! with { Advice = Clip(delta.Advice.Trim()), Updated = now });
                    edited++;
                    break;
                case PlaybookDeltaKind.Retire when delta.EntryId is not null
                    && Find(delta.EntryId) is { Status: EntryStatus.Active, Origin: not EntryOrigin.Owner }:
                    Retire(delta.EntryId, "retired by reflection", now);
                    retired++;
                    break;
                default:
                    rejected++;
                    break;
            }
        }

        State.FeedbackSinceReflection = 0;
        return new ReflectionResult(added, merged, edited, retired, rejected);
    }

    /// <summary>
    /// Retires the lowest-value active entries (lowest posterior mean, then least recently updated)
    /// until at most <see cref="PlaybookOptions.MaxEntries"/> remain. Entries the owner wrote are kept.
    /// </summary>
    public int EnforceCap(DateTimeOffset now)
    {
        var active = State.Entries.Where(e => e.Status == EntryStatus.Active).ToList();
        var excess = active.Count - _options.MaxEntries;
        if (excess <= 0)
        {
            return 0;
        }

        var victims = active
            .Where(e => e.Origin != EntryOrigin.Owner)
            .OrderBy(e => e.Mean)
            .ThenBy(e => e.Updated)
            .Take(excess)
            .ToList();
        foreach (var victim in victims)
        {
            Retire(victim.Id, "retired by the size cap", now);
        }

        return victims.Count;
    }

    private static bool SameAdvice(PlaybookEntry entry, string advice, string? action)
    {
        if (!string.Equals(entry.Action, action, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (entry.Advice.Length == 0 || advice.Length == 0)
        {
            return entry.Advice.Length == advice.Length;
        }

        return TextOverlap.Jaccard(entry.Advice, advice) >= 0.5;
    }

    private void Credit(string id, double successes, double failures, DateTimeOffset now)
    {
        if (Find(id) is not { } entry)
        {
            return;
        }

        Replace(entry with
        {
            Successes = entry.Successes + successes,
            Failures = entry.Failures + failures,
            Uses = entry.Uses + 1,
            Updated = now,
        });
    }

    private void Replace(PlaybookEntry entry) => State.Entries[_positions[entry.Id]] = entry;

    private Episode LogEpisode(Episode episode)
    {
        State.Episodes.Add(episode);
        var excess = State.Episodes.Count - _options.MaxEpisodes;
        if (excess > 0)
        {
            foreach (var dropped in State.Episodes.Take(excess))
            {
                _episodeVectors.Remove(dropped.Id);
            }

            State.Episodes.RemoveRange(0, excess);
        }

        return episode;
    }

    private string NextEpisodeId() => "ep" + (State.NextEpisodeNumber++).ToString(CultureInfo.InvariantCulture);

    private string Clip(string text) => text.Length <= _options.MaxTextLength ? text : text[.._options.MaxTextLength];

    private sealed record ActionEvidenceSet(
        Dictionary<int, (double S, double F)> Weighted,
        Dictionary<int, List<string>> Supporters,
        List<(int Action, double Prior)> Named,
        double Closest)
    {
        public double NamePrior(int action)
        {
            foreach (var (a, prior) in Named)
            {
                if (a == action)
                {
                    return prior;
                }
            }

            return 0;
        }
    }
}
