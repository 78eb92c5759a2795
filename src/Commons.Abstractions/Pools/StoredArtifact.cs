namespace Commons.Abstractions.Pools;

/// <summary>
/// One artifact in a topic's durable log: its position (the feed cursor), its signed canonical JSON,
/// when the pool received it, and the peer pool it came from (null when a member published it here).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.StoredArtifact")]
public sealed record StoredArtifact(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Json,
    [property: Id(2)] DateTimeOffset ReceivedAt,
    [property: Id(3)] string? Source);
