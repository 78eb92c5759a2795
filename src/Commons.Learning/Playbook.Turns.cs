using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>The playbook's turns: which advice goes into the prompt and which action is taken, each logged with its probability.</summary>
public sealed partial class Playbook
{
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
}
