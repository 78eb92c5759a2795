namespace Commons.Abstractions.Pools;

/// <summary>
/// The governance side of a topic shard (the same grain as <see cref="IInsightPoolGrain"/>): which
/// artifacts an insight id or a member stands for, and withdrawing artifacts (a moderator's removal,
/// a member's erasure), after which every group they backed is aggregated again without them.
/// </summary>
[Alias("Commons.IInsightPoolGovernance")]
public interface IInsightPoolGovernance : IGrainWithStringKey
{
    /// <summary>
    /// The artifacts behind an id a member holds: every artifact of a wording (its words, by whoever
    /// published them), of a whole group, or the one artifact of that id. Empty when none is known.
    /// </summary>
    [Alias("Resolve")]
    Task<IReadOnlyList<ArtifactRef>> ResolveAsync(string insightId);

    /// <summary>The ids of every artifact <paramref name="contributor"/> signed in this topic (reports included).</summary>
    [Alias("ArtifactsOf")]
    Task<IReadOnlyList<string>> ArtifactsOfAsync(string contributor);

    /// <summary>
    /// Withdraws these artifacts (those of <paramref name="onlyBy"/> alone, when given): no longer served,
    /// relayed or counted toward any group's k. With <paramref name="removeWords"/> (a moderator's removal)
    /// their words are withdrawn too, whoever publishes them again. Idempotent.
    /// </summary>
    [Alias("Withdraw")]
    Task<WithdrawalResult> WithdrawAsync(IReadOnlyList<string> artifactIds, string? onlyBy, bool removeWords = false);
}
