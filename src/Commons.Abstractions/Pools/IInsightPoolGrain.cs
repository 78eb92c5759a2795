namespace Commons.Abstractions.Pools;

/// <summary>
/// One topic shard of a pool, keyed by the topic: accepts artifacts (durably, idempotently), groups
/// those that say the same thing, aggregates their evidence robustly and serves a group only when at
/// least k distinct members back it.
/// </summary>
[Alias("Commons.IInsightPoolGrain")]
public interface IInsightPoolGrain : IGrainWithStringKey
{
    /// <summary>Stores a verified artifact; the receipt comes after the state is durable.</summary>
    [Alias("Publish")]
    Task<PublishReceipt> PublishAsync(PooledArtifact artifact);

    /// <summary>The served groups closest to a situation, best first.</summary>
    [Alias("Query")]
    Task<IReadOnlyList<PoolInsight>> QueryAsync(string situation, int max);

    /// <summary>
    /// Every wording of the served groups (each its contributor's signed artifact, with its group's
    /// robust evidence), in the order each became served, at most <paramref name="max"/> from the
    /// cursor <paramref name="after"/> (0 for the start): what a member syncs for a topic its owner
    /// uses, whatever the situation.
    /// </summary>
    [Alias("Digest")]
    Task<DigestPage> DigestAsync(int after, int max);

    /// <summary>
    /// Of these ids a member staged (wording or group ids), the ones this topic no longer serves: the
    /// group fell below k reputable members or expired, the wording's own author's reputation sank, or
    /// the pool never had it. A member rejects those it has not adopted yet.
    /// </summary>
    [Alias("Withdrawn")]
    Task<IReadOnlyList<string>> WithdrawnAsync(IReadOnlyList<string> ids);

    /// <summary>
    /// The log after <paramref name="after"/> (0 for the start), for peer pools: every artifact, below k
    /// too, except those this pool no longer stands behind (expired, or by an author whose reputation
    /// sank), which are passed over while the cursor moves on.
    /// </summary>
    [Alias("ReadFeed")]
    Task<FeedPage> ReadFeedAsync(long after, int max);

    /// <summary>
    /// Applies a member's report on an imported group to the reputations of its contributors;
    /// <paramref name="groupId"/> may also be a wording's id (<c>group:artifact</c>), and then the
    /// report is about those words and reaches their author alone.
    /// </summary>
    [Alias("ReportOutcome")]
    Task<OutcomeResult> ReportOutcomeAsync(string reporter, string groupId, bool helpful, double? epsilon = null);
}
