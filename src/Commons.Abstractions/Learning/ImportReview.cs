namespace Commons.Abstractions.Learning;

/// <summary>
/// The verification record of one imported insight: the decision, the reason in words, and the
/// figures behind it (off-policy estimate of following it against what the agent did, with bounds).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ImportReview")]
public sealed record ImportReview(
    [property: Id(0)] string EntryId,
    [property: Id(1)] string ArtifactId,
    [property: Id(2)] string Pool,
    [property: Id(3)] string Contributor,
    [property: Id(4)] ImportDecision Decision,
    [property: Id(5)] string Reason,
    [property: Id(6)] double? InsightValue,
    [property: Id(7)] double? InsightLower,
    [property: Id(8)] double? InsightUpper,
    [property: Id(9)] double? CurrentValue,
    [property: Id(10)] double EffectiveEpisodes,
    [property: Id(11)] int Trials,
    [property: Id(12)] int TrialSuccesses,
    [property: Id(13)] DateTimeOffset Decided);
