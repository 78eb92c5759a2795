namespace Commons.Abstractions.Pools;

/// <summary>
/// A verified Insight Artifact v1 on its way into a pool: the fields the pool groups and aggregates
/// on, and the artifact's canonical JSON exactly as it was signed (what is stored and relayed).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.PooledArtifact")]
public sealed record PooledArtifact(
    [property: Id(0)] string Id,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Contributor,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Situation,
    [property: Id(5)] string? Advice,
    [property: Id(6)] string? Action,
    [property: Id(7)] long Successes,
    [property: Id(8)] long Failures,
    [property: Id(9)] DateTimeOffset Created,
    [property: Id(10)] DateTimeOffset Expires,
    [property: Id(11)] string Json,
    [property: Id(12)] string? Source);
