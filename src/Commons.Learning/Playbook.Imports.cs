using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>
/// Import verification: an imported insight is staged, never used to act, until the owner's own
/// logged episodes show — off-policy, by self-normalised inverse propensity scoring with a
/// confidence bound — that following it would not have done worse than what the agent did. Where
/// too little history applies, it is tried on a bounded number of matching turns: at most
/// <see cref="PlaybookOptions.ImportMaxTrials"/> in all; where the agent has evidence of its own at
/// least as close to the situation, only <see cref="PlaybookOptions.ImportTrialShare"/> of those turns;
/// where the insight is closer than anything the agent learned itself (its choice would be a guess from
/// farther away) it replaces that choice. A failed trial rejects it; the logged trials decide the rest. Adopted insights act as a small discounted prior; the
/// owner's outcomes dominate and can retire them, which queues an outcome report for the pool.
/// </summary>
public sealed partial class Playbook
{
    private const double LocalRetireMean = 0.4;
    private const double LocalRetireMinimum = 3;
    private const double VarianceFloor = 0.002;

    private readonly Dictionary<string, float[]> _episodeVectors = new(StringComparer.Ordinal);
    // Where each review is in the state's list, by its entry and by the artifact it judged: a member
    // of a busy pool stages thousands of insights, and each is looked up on every staging.
    private readonly Dictionary<string, int> _reviewPositions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reviewByArtifact = new(StringComparer.Ordinal);

    public IReadOnlyList<ImportReview> ImportReviews => State.ImportReviews;

    public ImportReview? FindReview(string entryId) =>
        _reviewPositions.TryGetValue(entryId, out var i) ? State.ImportReviews[i] : null;

    /// <summary>The review of the insight imported as <paramref name="artifactId"/>, if it was staged.</summary>
    public ImportReview? FindReviewOfArtifact(string artifactId) =>
        _reviewByArtifact.TryGetValue(artifactId, out var i) ? State.ImportReviews[i] : null;

    /// <summary>Episodes whose situation vectors are not known yet (after loading the state).</summary>
    public IEnumerable<Episode> EpisodesMissingVectors() => State.Episodes.Where(e => !_episodeVectors.ContainsKey(e.Id));

    public void SetEpisodeVector(string episodeId, ReadOnlySpan<float> vector) => _episodeVectors[episodeId] = vector.ToArray();

    /// <summary>The situation vector of a logged episode, if known (it is, for episodes logged since activation).</summary>
    public float[]? EpisodeVector(string episodeId) => _episodeVectors.GetValueOrDefault(episodeId);

    /// <summary>
    /// Stages an imported insight (or finds it already staged), rejects it at once when it contradicts
    /// a guard-rail, and otherwise judges it on the logs.
    /// </summary>
    public ImportReview Stage(ImportedInsight insight, ReadOnlySpan<float> situation, IReadOnlyList<GuardRail> guardRails, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(insight);
        ArgumentNullException.ThrowIfNull(guardRails);
        if (FindReviewOfArtifact(insight.ArtifactId) is { } known)
        {
            return known;
        }

        var entry = new PlaybookEntry(
            "e" + (State.NextEntryNumber++).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Clip(insight.Situation.Trim()),
            Clip(insight.Advice.Trim()),
            string.IsNullOrWhiteSpace(insight.Action) ? null : insight.Action.Trim(),
            0,
            0,
            Math.Max(0, insight.Successes),
            Math.Max(0, insight.Failures),
            EntryOrigin.Imported,
            EntryStatus.Staged,
            now,
            now,
            0,
            $"{insight.Pool}/{insight.ArtifactId}",
            insight.Contributor);
        _positions[entry.Id] = State.Entries.Count;
        State.Entries.Add(entry);
        Index.Set(entry.Id, situation);

        var breach = guardRails.Select(g => (Rail: g, Why: g.Breach(null, entry.Situation, entry.Advice, entry.Action))).FirstOrDefault(b => b.Why is not null);
        if (breach.Why is not null)
        {
            Retire(entry.Id, "rejected: " + breach.Why, now);
            return Record(new ImportReview(entry.Id, insight.ArtifactId, insight.Pool, insight.Contributor, ImportDecision.Rejected,
                $"contradicts the guard-rail '{breach.Rail.Name}' ({breach.Rail.Rule}): {breach.Why}", null, null, null, null, 0, 0, 0, now));
        }

        if (!_options.VerifyImports)
        {
            Adopt(entry, insight.Reputation, now);
            return Record(new ImportReview(entry.Id, insight.ArtifactId, insight.Pool, insight.Contributor, ImportDecision.Adopted,
                "adopted without verification (verification is off)", null, null, null, null, 0, 0, 0, now));
        }

        return Review(entry.Id, now, insight.Reputation);
    }

    /// <summary>Judges a staged insight again on the current logs (trials included), and applies the decision.</summary>
    public ImportReview Review(string entryId, DateTimeOffset now, double? reputation = null)
    {
        var entry = Find(entryId) ?? throw new ArgumentException($"No entry {entryId}.", nameof(entryId));
        var previous = FindReview(entryId);
        var (artifact, pool) = SplitSource(entry.Source);
        var contributor = entry.Note ?? "";
        var trials = previous?.Trials ?? 0;
        var trialSuccesses = previous?.TrialSuccesses ?? 0;
        if (entry.Status != EntryStatus.Staged || previous?.Decision is ImportDecision.Rejected or ImportDecision.Adopted or ImportDecision.Retired)
        {
            return previous ?? throw new InvalidOperationException($"Entry {entryId} is not an import under review.");
        }

        var estimate = EstimateOffPolicy(entry);
        ImportDecision decision;
        string reason;
        if (estimate.EffectiveEpisodes < _options.ImportMinEffectiveEpisodes)
        {
            decision = trials < _options.ImportMaxTrials ? ImportDecision.Trial : ImportDecision.Waiting;
            reason = decision == ImportDecision.Trial
                ? $"too little of your history applies ({estimate.EffectiveEpisodes:0.#} effective episodes); tried on matching turns where it is closer than anything you taught the agent (elsewhere on {_options.ImportTrialShare:P0} of them), {_options.ImportMaxTrials} times in all"
                : $"tried {trials} times and still too little applies ({estimate.EffectiveEpisodes:0.#} effective episodes); waiting for more history";
        }
        else if (estimate.Upper < estimate.Current)
        {
            decision = ImportDecision.Rejected;
            reason = $"worse than what you get now on {estimate.Applicable} of your episodes: at most {estimate.Upper:P0} against {estimate.Current:P0}";
        }
        else if (estimate.Lower >= estimate.Current - _options.ImportTolerance)
        {
            decision = ImportDecision.Adopted;
            reason = $"not worse than what you get now on {estimate.Applicable} of your episodes: at least {estimate.Lower:P0} against {estimate.Current:P0}";
        }
        else
        {
            decision = trials < _options.ImportMaxTrials ? ImportDecision.Trial : ImportDecision.Waiting;
            reason = $"not yet clear on {estimate.Applicable} of your episodes ({estimate.Lower:P0} to {estimate.Upper:P0} against {estimate.Current:P0}); " +
                (decision == ImportDecision.Trial ? "tried on a few matching turns" : "waiting for more history");
        }

        var review = new ImportReview(entryId, artifact, pool, contributor, decision, reason, estimate.Value, estimate.Lower, estimate.Upper,
            estimate.Current, estimate.EffectiveEpisodes, trials, trialSuccesses, now);
        if (decision == ImportDecision.Adopted)
        {
            Adopt(entry, reputation ?? 1, now);
            if (trialSuccesses == 0 && pool.Length > 0)
            {
                // The owner's history vouches for it: the pool hears so, as it hears of a trial that
                // went right, so that contributors' reputations do not rest on failures alone.
                State.PendingOutcomeReports.Add(new OutcomeReport(artifact, pool, 1, 0, false, now));
            }
        }
        else if (decision == ImportDecision.Rejected)
        {
            Retire(entryId, "rejected: " + reason, now);
            if (pool.Length > 0)
            {
                // The owner's history speaks against it: the pool hears that too, as it hears of a
                // trial that went wrong. Without it, a contributor whose insights fail on people's logs
                // would be judged only on the few that were ever tried live.
                State.PendingOutcomeReports.Add(new OutcomeReport(artifact, pool, 0, 1, true, now));
            }
        }

        return Record(review);
    }

    /// <summary>Reviews every staged insight whose situation applies to this one (after new feedback).</summary>
    public IReadOnlyList<ImportReview> ReviewApplicable(ReadOnlySpan<float> situation, DateTimeOffset now)
    {
        var staged = Index.Nearest(situation, 64, _options.ImportApplySimilarity, id => Find(id) is { Status: EntryStatus.Staged });
        return staged.Select(s => Review(s.Id, now)).ToList();
    }

    /// <summary>The owner's override: adopt (true) or reject (false) an imported insight whatever the figures say.</summary>
    public ImportReview? Override(string entryId, bool adopt, DateTimeOffset now)
    {
        if (Find(entryId) is not { Origin: EntryOrigin.Imported } entry || FindReview(entryId) is not { } review)
        {
            return null;
        }

        if (adopt)
        {
            if (entry.Status == EntryStatus.Retired)
            {
                Replace(entry with { Status = EntryStatus.Staged, Updated = now });
                entry = Find(entryId)!;
            }

            Adopt(entry, 1, now);
        }
        else if (entry.Status != EntryStatus.Retired)
        {
            Retire(entryId, "rejected by the owner", now);
        }

        return Record(review with
        {
            Decision = adopt ? ImportDecision.Adopted : ImportDecision.Rejected,
            Reason = adopt ? "adopted by the owner" : "rejected by the owner",
            Decided = now,
        });
    }

    /// <summary>The artifact ids of every import from <paramref name="pool"/>, whatever was decided about it.</summary>
    public IReadOnlyList<string> ImportsFrom(string pool) =>
        State.ImportReviews
            .Where(r => string.Equals(r.Pool, pool, StringComparison.Ordinal))
            .Select(r => r.ArtifactId)
            .ToList();

    /// <summary>
    /// Rejects the imports under review that their pool has withdrawn (it no longer serves them: their
    /// contributors' reputations sank, or they expired). An import the owner's history already adopted
    /// stays. Returns how many were withdrawn.
    /// </summary>
    public int Withdraw(string pool, IEnumerable<string> artifactIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(artifactIds);
        var withdrawn = 0;
        foreach (var artifactId in artifactIds)
        {
            if (FindReviewOfArtifact(artifactId) is { Decision: ImportDecision.Trial or ImportDecision.Waiting } review
                && string.Equals(review.Pool, pool, StringComparison.Ordinal)
                && Retire(review.EntryId, "rejected: withdrawn by its pool", now))
            {
                Record(review with { Decision = ImportDecision.Rejected, Reason = WithdrawnReason, Decided = now });
                withdrawn++;
            }
        }

        return withdrawn;
    }

    /// <summary>Takes the queued outcome reports (for the export pipeline).</summary>
    public IReadOnlyList<OutcomeReport> TakeOutcomeReports()
    {
        var reports = State.PendingOutcomeReports.ToList();
        State.PendingOutcomeReports.Clear();
        return reports;
    }

    /// <summary>
    /// Applies to an episode's feedback what verification needs: trial outcomes are counted, and an
    /// adopted import whose local outcomes have turned against it is retired and reported.
    /// </summary>
    private void AfterFeedback(Episode episode, double reward, DateTimeOffset now)
    {
        foreach (var id in episode.EvidenceEntryIds)
        {
            if (Find(id) is not { Origin: EntryOrigin.Imported } entry)
            {
                continue;
            }

            // An imported advice (no action) is tried by being put into the prompt; an imported action by being taken.
            if (entry.Status == EntryStatus.Staged && FindReview(id) is { } review
                && (entry.Action is null || string.Equals(entry.Action, episode.Action, StringComparison.OrdinalIgnoreCase)))
            {
                review = Record(review with { TrialSuccesses = review.TrialSuccesses + (reward >= 0.5 ? 1 : 0) });
                var failures = review.Trials - review.TrialSuccesses;
                var (artifact, pool) = SplitSource(entry.Source);
                // The pool hears how its insight did on each live turn, good or bad (one bit a trial, through
                // the export pipeline): that is what moves its contributors' reputations.
                var rejected = reward < 0.5 && failures >= _options.ImportMaxTrialFailures;
                State.PendingOutcomeReports.Add(new OutcomeReport(artifact, pool, reward >= 0.5 ? 1 : 0, reward >= 0.5 ? 0 : 1, rejected, now));
                if (rejected)
                {
                    var reason = $"tried on {review.Trials} of your turns and wrong on {failures}";
                    Retire(id, "rejected: " + reason, now);
                    Record(review with { Decision = ImportDecision.Rejected, Reason = reason, Decided = now });
                }
            }
            else if (entry.Status == EntryStatus.Active)
            {
                var local = entry.Successes + entry.Failures;
                var localMean = (entry.Successes + 1) / (local + 2);
                if (local >= LocalRetireMinimum && localMean < LocalRetireMean)
                {
                    Retire(id, "retired: your own outcomes turned against it", now);
                    var (artifact, pool) = SplitSource(entry.Source);
                    State.PendingOutcomeReports.Add(new OutcomeReport(artifact, pool, entry.Successes, entry.Failures, true, now));
                    if (FindReview(id) is { } adopted)
                    {
                        Record(adopted with
                        {
                            Decision = ImportDecision.Retired,
                            Reason = $"your own outcomes turned against it: worked {entry.Successes:0.#}, failed {entry.Failures:0.#}",
                            Decided = now,
                        });
                    }
                }
            }
        }
    }

    /// <summary>Counts a use of an insight under trial, when it is used: the bound holds whether or not feedback comes.</summary>
    private void CountTrial(string entryId)
    {
        if (FindReview(entryId) is { } review)
        {
            Record(review with { Trials = review.Trials + 1 });
        }
    }

    /// <summary>The staged advice (an imported insight with no action) whose trial this turn may be, or none.</summary>
    private (PlaybookEntry? Entry, double Similarity) AdviceTrialCandidate(ReadOnlySpan<float> query)
    {
        if (_options.ImportTrialShare <= 0)
        {
            return (null, 0);
        }

        foreach (var (id, similarity) in Index.Nearest(query, 8, _options.ImportApplySimilarity, id => Find(id) is { Status: EntryStatus.Staged, Action: null, Advice.Length: > 0 }))
        {
            if (FindReview(id) is { Decision: ImportDecision.Trial } review && review.Trials < _options.ImportMaxTrials)
            {
                return (Find(id), similarity);
            }
        }

        return (null, 0);
    }

    /// <summary>
    /// The staged insight whose trial this turn may be: the most similar one still under trial, or none.
    /// </summary>
    private (PlaybookEntry? Entry, double Similarity) TrialCandidate(ReadOnlySpan<float> query, IReadOnlyList<string> actions)
    {
        if (_options.ImportTrialShare <= 0)
        {
            return (null, 0);
        }

        foreach (var (id, similarity) in Index.Nearest(query, 8, _options.ImportApplySimilarity, id => Find(id) is { Status: EntryStatus.Staged, Action: not null }))
        {
            var entry = Find(id)!;
            if (FindReview(id) is { Decision: ImportDecision.Trial } review && review.Trials < _options.ImportMaxTrials
                && actions.Contains(entry.Action!, StringComparer.OrdinalIgnoreCase))
            {
                return (entry, similarity);
            }
        }

        return (null, 0);
    }

    /// <summary>
    /// Self-normalised inverse-propensity estimate, on the logged episodes the insight applies to, of
    /// following it, paired with what the agent actually got on the same episodes: the difference is
    /// estimated per episode, so an insight that recommends what already worked is "not worse" with
    /// confidence even when both are perfect. Episodes with a correction, or (for exclusive actions) one
    /// rewarded as right, say directly how the insight's action would have done, with weight 1.
    /// </summary>
    private OffPolicyEstimate EstimateOffPolicy(PlaybookEntry entry)
    {
        var target = entry.Action;
        var situation = Index.Get(entry.Id);
        var samples = new List<(double Weight, double Value, double Reward)>();
        var applicable = 0;
        foreach (var episode in State.Episodes)
        {
            if (episode.Action is null || episode.Reward is not double reward || !_episodeVectors.TryGetValue(episode.Id, out var vector)
                || EmbeddingIndex.Cosine(vector, situation) < _options.ImportApplySimilarity)
            {
                continue;
            }

            applicable++;
            if (target is null)
            {
                continue;
            }

            if (episode.Correction is { } right)
            {
                samples.Add((1, string.Equals(right, target, StringComparison.OrdinalIgnoreCase) ? 1 : 0, reward));
            }
            else if (string.Equals(episode.Action, target, StringComparison.OrdinalIgnoreCase))
            {
                samples.Add((1 / Math.Max(episode.ActionPropensity ?? 1, 1e-3), reward, reward));
            }
            else if (_options.ExclusiveActions && reward >= 0.5)
            {
                samples.Add((1, 0, reward));
            }
        }

        if (samples.Count == 0)
        {
            return new OffPolicyEstimate(null, 0, 1, 0, 0, applicable);
        }

        var weights = samples.Sum(x => x.Weight);
        var value = samples.Sum(x => x.Weight * x.Value) / weights;
        var current = samples.Sum(x => x.Weight * x.Reward) / weights;
        var difference = value - current;
        var variance = samples.Sum(x => x.Weight * Math.Pow(x.Value - x.Reward - difference, 2)) / weights;
        var effective = weights * weights / samples.Sum(x => x.Weight * x.Weight);
        // A normal bound on the difference, with its variance floored so that a few identical
        // outcomes do not look certain.
        var half = _options.ImportConfidenceZ * Math.Sqrt(Math.Max(variance, VarianceFloor) / effective);
        return new OffPolicyEstimate(value, Math.Clamp(current + difference - half, 0, 1), Math.Clamp(current + difference + half, 0, 1), current, effective, applicable);
    }

    private void Adopt(PlaybookEntry entry, double reputation, DateTimeOffset now)
    {
        // The pool's evidence counts only as a small prior, scaled by the contributor's reputation,
        // so that the owner's own outcomes soon dominate.
        var poolTotal = entry.PriorSuccesses + entry.PriorFailures;
        var total = Math.Min(_options.ImportPriorCap, poolTotal) * Math.Clamp(reputation, 0, 1);
        var share = poolTotal == 0 ? 0.5 : entry.PriorSuccesses / poolTotal;
        Replace(entry with
        {
            Status = EntryStatus.Active,
            PriorSuccesses = total * share,
            PriorFailures = total * (1 - share),
            Updated = now,
        });
    }

    private ImportReview Record(ImportReview review)
    {
        if (_reviewPositions.TryGetValue(review.EntryId, out var index))
        {
            State.ImportReviews[index] = review;
        }
        else
        {
            index = State.ImportReviews.Count;
            State.ImportReviews.Add(review);
            _reviewPositions[review.EntryId] = index;
        }

        _reviewByArtifact[review.ArtifactId] = index;

        return review;
    }

    /// <summary>Why an import under review was rejected when its pool withdrew it.</summary>
    public const string WithdrawnReason = "withdrawn by its pool, which no longer serves it";

    /// <summary>The pool an imported entry came from (its source is <c>pool/artifact</c>).</summary>
    public static string PoolOf(PlaybookEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return SplitSource(entry.Source).Pool;
    }

    private static (string Artifact, string Pool) SplitSource(string? source)
    {
        var slash = source?.LastIndexOf('/') ?? -1;
        return slash < 0 ? (source ?? "", "") : (source![(slash + 1)..], source[..slash]);
    }

    private sealed record OffPolicyEstimate(double? Value, double Lower, double Upper, double Current, double EffectiveEpisodes, int Applicable);
}
