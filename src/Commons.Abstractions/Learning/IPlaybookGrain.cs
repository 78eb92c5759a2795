namespace Commons.Abstractions.Learning;

/// <summary>
/// What a person's agent has learned, keyed by the user's id: entries with outcome statistics,
/// selection with logged propensities, credit assignment, merging, the owner's edits, and the
/// staging and verification of imported insights.
/// </summary>
[Alias("Commons.IPlaybookGrain")]
public interface IPlaybookGrain : IGrainWithStringKey
{
    /// <summary>Chooses one of <paramref name="actions"/> for this situation from the playbook alone (no model), and logs the episode.</summary>
    [Alias("ChooseAction")]
    Task<ActionDecision> ChooseActionAsync(string situation, IReadOnlyList<string> actions);

    /// <summary>
    /// One turn of the agent (the chat's and the benchmark's): chooses one of <paramref name="actions"/>
    /// and the advice for the prompt, logs them as one episode with their probabilities. With a
    /// <paramref name="fallback"/> action, a situation nothing learned applies to gets it instead of a guess.
    /// </summary>
    [Alias("DecideTurn")]
    Task<TurnDecision> DecideTurnAsync(string situation, IReadOnlyList<string> actions, string? fallback = null);

    /// <summary>Why the turn logged as <paramref name="episodeId"/> went as it did; null when the episode is no longer kept.</summary>
    [Alias("Explain")]
    Task<TurnExplanation?> ExplainAsync(string episodeId);

    /// <summary>Applies feedback to a logged episode.</summary>
    [Alias("Feedback")]
    Task<FeedbackOutcome> FeedbackAsync(string episodeId, Feedback feedback);

    /// <summary>Adds an entry the owner wrote.</summary>
    [Alias("AddEntry")]
    Task<PlaybookEntry> AddEntryAsync(string situation, string advice, string? action);

    /// <summary>Changes an entry's advice and/or action; false when there is no such active entry.</summary>
    [Alias("EditEntry")]
    Task<bool> EditEntryAsync(string entryId, string? advice, string? action);

    /// <summary>Retires an entry; false when there is no such active entry.</summary>
    [Alias("RetireEntry")]
    Task<bool> RetireEntryAsync(string entryId);

    [Alias("GetEntry")]
    Task<PlaybookEntry?> GetEntryAsync(string entryId);

    /// <summary>All entries, retired ones included when asked.</summary>
    [Alias("ListEntries")]
    Task<IReadOnlyList<PlaybookEntry>> ListEntriesAsync(bool includeRetired);

    /// <summary>Merges small changes proposed by reflection.</summary>
    [Alias("ApplyDeltas")]
    Task<ReflectionResult> ApplyDeltasAsync(IReadOnlyList<PlaybookDelta> deltas);

    /// <summary>The most recent episodes, oldest first.</summary>
    [Alias("GetEpisodes")]
    Task<IReadOnlyList<Episode>> GetEpisodesAsync(int max);

    /// <summary>
    /// Stages imported insights (never used to act until verified), rejects the ones that contradict the
    /// owner's guard-rails and judges the others on the owner's logged episodes. Insights already seen
    /// return their existing review. Throws when the guard-rails do not load: nothing is staged.
    /// </summary>
    [Alias("StageImports")]
    Task<IReadOnlyList<ImportReview>> StageImportsAsync(IReadOnlyList<ImportedInsight> insights);

    /// <summary>
    /// Every insight staged from <paramref name="pool"/>, whatever was decided about it since (blocked by a
    /// guard-rail included): what the agent asks the pool about withdrawals, so that the question says
    /// nothing about the owner's decisions that the pool did not already know.
    /// </summary>
    [Alias("ListImports")]
    Task<IReadOnlyList<StagedImport>> ListImportsAsync(string pool);

    /// <summary>
    /// Rejects the imports from <paramref name="pool"/>, of these artifact ids, that are still under
    /// review: their pool no longer serves them. Adopted ones stay: the owner's outcomes judge those.
    /// Returns how many were withdrawn.
    /// </summary>
    [Alias("WithdrawImports")]
    Task<int> WithdrawImportsAsync(string pool, IReadOnlyList<string> artifactIds);

    /// <summary>The verification records of every imported insight, oldest first.</summary>
    [Alias("ListImportReviews")]
    Task<IReadOnlyList<ImportReview>> ListImportReviewsAsync();

    /// <summary>The owner adopts (true) or rejects (false) an imported insight; a guard-rail still blocks adoption.</summary>
    [Alias("OverrideImport")]
    Task<ImportOverrideResult> OverrideImportAsync(string entryId, bool adopt);

    /// <summary>Takes the queued outcome reports on imported insights, for the export pipeline (each is handed out once).</summary>
    [Alias("TakeOutcomeReports")]
    Task<IReadOnlyList<PendingOutcomeReport>> TakeOutcomeReportsAsync();
}
