namespace Commons.Abstractions.Pools;

/// <summary>A page of a topic's log after a cursor: the artifacts, the next cursor, and whether more follow.</summary>
[GenerateSerializer, Immutable, Alias("Commons.FeedPage")]
public sealed record FeedPage(
    [property: Id(0)] string Topic,
    [property: Id(1)] IReadOnlyList<StoredArtifact> Items,
    [property: Id(2)] long Next,
    [property: Id(3)] bool HasMore);
