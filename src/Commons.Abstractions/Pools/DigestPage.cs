namespace Commons.Abstractions.Pools;

/// <summary>A page of a topic's served insights after a cursor: the insights, the next cursor, and whether more follow.</summary>
[GenerateSerializer, Immutable, Alias("Commons.DigestPage")]
public sealed record DigestPage(
    [property: Id(0)] IReadOnlyList<PoolInsight> Insights,
    [property: Id(1)] int Next,
    [property: Id(2)] bool HasMore);
