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
    /// Chooses the entries whose advice goes into the prompt for this situation, and logs the episode.
    /// Entries with a poor record are left out; among the others, Thompson samples times similarity rank them.
    /// </summary>
    public Selection Select(string situation, ReadOnlySpan<float> query, DateTimeOffset now)
    {
        var (chosen, trial) = PickAdvice(query);
        var episode = LogEpisode(new Episode(NextEpisodeId(), now, Clip(situation), chosen, null, null, trial is null ? [] : [trial], null, null));
        SetEpisodeVector(episode.Id, query);
        return new Selection(episode.Id, chosen);
    }

    /// <summary>
    /// Chooses an action for this situation from <paramref name="actions"/> by Thompson sampling on
    /// per-action posteriors built from the neighbouring entries' counters (weighted by similarity),
    /// with a prior from <paramref name="nameSimilarity"/> (how close the situation is to each action's
    /// name) and a random action as exploration. Logs the episode with the choice's probability.
    /// </summary>
    public ActionDecision ChooseAction(string situation, ReadOnlySpan<float> query, IReadOnlyList<string> actions, IReadOnlyList<double>? nameSimilarity, DateTimeOffset now)
    {
        var decision = DecideTurn(situation, query, actions, nameSimilarity, now, withAdvice: false);
        return new ActionDecision(decision.EpisodeId, decision.Action, decision.Propensity, decision.EvidenceEntryIds, decision.Explored);
    }

    /// <summary>
    /// One turn of the agent, logged as one episode: the action (one of <paramref name="actions"/>, by
    /// Thompson sampling as <see cref="ChooseAction"/>, an imported insight under trial taking its share)
    /// and, with <paramref name="withAdvice"/>, the advice entries for the prompt (as <see cref="Select"/>,
    /// an imported advice under trial taking its share). Feedback on the episode credits both.
    /// With a <paramref name="fallback"/> (the chat's "reply directly"), a situation nothing learned applies
    /// to gets the fallback rather than an exploring guess: a person is not a test bench.
    /// </summary>
    public TurnDecision DecideTurn(string situation, ReadOnlySpan<float> query, IReadOnlyList<string> actions, IReadOnlyList<double>? nameSimilarity, DateTimeOffset now, bool withAdvice = true, string? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException("At least one action is needed.", nameof(actions));
        }

        var (advice, adviceTrial) = withAdvice ? PickAdvice(query) : ([], null);
        var (action, propensity, supporting, explored) = PickAction(query, actions, nameSimilarity, fallback);
        var evidence = adviceTrial is null ? supporting : [.. supporting, adviceTrial];
        var episode = LogEpisode(new Episode(NextEpisodeId(), now, Clip(situation), advice, action, propensity, evidence, null, null));
        SetEpisodeVector(episode.Id, query);
        return new TurnDecision(episode.Id, action, propensity, evidence, explored, advice);
    }

    /// <summary>The advice entries for the prompt, and the id of an imported advice under trial when it was drawn into them.</summary>
    private (List<SelectedEntry> Chosen, string? Trial) PickAdvice(ReadOnlySpan<float> query)
    {
        var candidates = Index.Nearest(query, ChatCandidates, _options.MinSimilarity, id =>
            Find(id) is { Status: EntryStatus.Active, Advice.Length: > 0 } e && e.Mean >= KnownBadMean);

        var chosen = new List<SelectedEntry>();
        if (candidates.Count > 0 && _options.MaxSelected > 0)
        {
            var entries = candidates.Select(c => Find(c.Id)!).ToArray();
            var picked = PickTop(entries, candidates, _random);
            var counts = new int[entries.Length];
            for (var draw = 0; draw < _options.PropensitySamples; draw++)
            {
                foreach (var i in PickTop(entries, candidates, _random))
                {
                    counts[i]++;
                }
            }

            foreach (var i in picked)
            {
                var propensity = Math.Max(1, counts[i]) / (double)_options.PropensitySamples;
                chosen.Add(new SelectedEntry(entries[i].Id, entries[i].Advice, entries[i].Action, candidates[i].Similarity, Math.Min(1, propensity)));
            }
        }

        // An imported advice under trial takes its share of the turns it applies to, as an imported action does.
        if (AdviceTrialCandidate(query) is ({ } trial, var similarity))
        {
            var closest = candidates.Count == 0 ? 0 : candidates.Max(c => c.Similarity);
            var share = similarity > closest ? _options.ImportNoveltyTrialShare : _options.ImportTrialShare;
            if (_random.NextDouble() < share)
            {
                chosen.Add(new SelectedEntry(trial.Id, trial.Advice, trial.Action, similarity, share));
                CountTrial(trial.Id);
                return (chosen, trial.Id);
            }
        }

        return (chosen, null);
    }

    private (string Action, double Propensity, IReadOnlyList<string> Supporting, bool Explored) PickAction(ReadOnlySpan<float> query, IReadOnlyList<string> actions, IReadOnlyList<double>? nameSimilarity, string? fallback)
    {
        var evidence = ActionEvidence(query, actions, nameSimilarity);
        var fallbackIndex = fallback is null ? -1 : Enumerable.Range(0, actions.Count).FirstOrDefault(i => actions[i] == fallback, -1);
        var deterministic = fallbackIndex >= 0 && evidence.Weighted.Count == 0;
        var chosen = deterministic ? fallbackIndex : DrawAction(evidence, actions.Count, _random);
        var counts = new int[actions.Count];
        for (var draw = 0; draw < _options.PropensitySamples && !deterministic; draw++)
        {
            counts[DrawAction(evidence, actions.Count, _random)]++;
        }

        // P(Thompson's choice = a), estimated by repeating the draw; never 0 for a drawn action.
        double ThompsonShare(int a) => deterministic ? (a == chosen ? 1 : 0) : Math.Max(a == chosen ? 1 : 0, counts[a]) / (double)_options.PropensitySamples;

        var final = chosen;
        IReadOnlyList<string> supporting = evidence.Supporters.TryGetValue(chosen, out var ids) ? ids : [];
        var explored = !deterministic && !evidence.Weighted.ContainsKey(chosen);
        var propensity = ThompsonShare(chosen);

        // A staged insight under trial takes a small, fixed share q of the turns it applies to. The
        // logged propensity is that of the mixed policy, q·[a = trial] + (1 - q)·P(Thompson = a),
        // so the log stays valid for judging this and other insights off-policy.
        if (TrialCandidate(query, actions) is ({ } trial, var trialSimilarity))
        {
            // Where the insight is closer to this situation than anything the agent has learned itself,
            // the agent's own choice here would be a guess from farther away: the trial replaces it.
            var share = trialSimilarity > evidence.Closest ? _options.ImportNoveltyTrialShare : _options.ImportTrialShare;
            var trialAction = Enumerable.Range(0, actions.Count).First(i => string.Equals(actions[i], trial.Action, StringComparison.OrdinalIgnoreCase));
            if (_random.NextDouble() < share)
            {
                final = trialAction;
                supporting = [trial.Id];
                explored = true;
                CountTrial(trial.Id);
            }

            propensity = (final == trialAction ? share : 0) + ((1 - share) * ThompsonShare(final));
        }

        return (actions[final], propensity, supporting, explored);
    }

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

    private List<int> PickTop(PlaybookEntry[] entries, List<(string Id, double Similarity)> candidates, Random random)
    {
        var scored = new (double Score, int Index)[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            scored[i] = (BetaSampler.Sample(random, entries[i].Alpha, entries[i].Beta) * candidates[i].Similarity, i);
        }

        Array.Sort(scored, (a, b) => b.Score.CompareTo(a.Score));
        return scored.Take(_options.MaxSelected).Select(s => s.Index).ToList();
    }

    private ActionEvidenceSet ActionEvidence(ReadOnlySpan<float> query, IReadOnlyList<string> actions, IReadOnlyList<double>? nameSimilarity)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < actions.Count; i++)
        {
            byName.TryAdd(actions[i], i);
        }

        var weighted = new Dictionary<int, (double S, double F)>();
        var supporters = new Dictionary<int, List<string>>();
        var floor = _options.ActionMinSimilarity;
        var closest = 0.0;
        foreach (var (id, similarity) in Index.Nearest(query, _options.ActionNeighbours, floor, id => Find(id) is { Status: EntryStatus.Active, Action: not null }))
        {
            var entry = Find(id)!;
            if (!byName.TryGetValue(entry.Action!, out var a))
            {
                continue;
            }

            closest = Math.Max(closest, similarity);

            // Closer situations count more; an identical one counts EvidenceGain times its counters.
            var w = _options.EvidenceGain * ((similarity - floor) / (1 - floor));
            var (s, f) = weighted.GetValueOrDefault(a);
            weighted[a] = (s + (w * (entry.Successes + entry.PriorSuccesses)), f + (w * (entry.Failures + entry.PriorFailures)));
            if (!supporters.TryGetValue(a, out var list))
            {
                supporters[a] = list = [];
            }

            list.Add(id);
        }

        // A prior from how close the situation is to each action's name: a softmax over the
        // similarities, so a clear best match starts well ahead and the rest start pessimistic.
        var named = new List<(int Action, double Prior)>();
        if (nameSimilarity is { Count: > 0 } && nameSimilarity.Count == actions.Count && _options.NameMatchedActions > 0)
        {
            var max = nameSimilarity.Max();
            var exp = nameSimilarity.Select(x => Math.Exp((x - max) / _options.NamePriorTemperature)).ToArray();
            var sum = exp.Sum();
            var ranked = Enumerable.Range(0, actions.Count).OrderByDescending(i => nameSimilarity[i]).Take(_options.NameMatchedActions);
            foreach (var i in ranked)
            {
                named.Add((i, exp[i] / sum));
            }
        }

        return new ActionEvidenceSet(weighted, supporters, named, closest);
    }

    private int DrawAction(ActionEvidenceSet evidence, int actionCount, Random random)
    {
        var best = -1;
        var bestScore = double.NegativeInfinity;
        void Consider(int action, double alpha, double beta)
        {
            var score = BetaSampler.Sample(random, alpha, beta);
            if (score > bestScore)
            {
                bestScore = score;
                best = action;
            }
        }

        // Priors: an action matching the situation's wording with probability p starts at
        // Beta(u + k·p, u + k·(1 - p)); an action nobody has tried here starts pessimistic, since with
        // many actions a random one is rarely right. Evidence from neighbours is added to both.
        var strength = _options.NamePriorStrength;
        var seen = new HashSet<int>();
        foreach (var (action, (s, f)) in evidence.Weighted)
        {
            var p = evidence.NamePrior(action);
            Consider(action, UnknownAlpha + (strength * p) + s, UnknownBeta + (strength * (1 - p)) + f);
            seen.Add(action);
        }

        foreach (var (action, p) in evidence.Named)
        {
            if (seen.Add(action))
            {
                Consider(action, UnknownAlpha + (strength * p), UnknownBeta + (strength * (1 - p)));
            }
        }

        for (var i = 0; i < _options.ExplorationActions; i++)
        {
            var action = random.Next(actionCount);
            if (seen.Add(action))
            {
                Consider(action, UnknownAlpha, UnknownBeta + strength);
            }
        }

        return best < 0 ? random.Next(actionCount) : best;
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
