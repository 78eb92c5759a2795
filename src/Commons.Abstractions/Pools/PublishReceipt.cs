namespace Commons.Abstractions.Pools;

/// <summary>
/// Proof that a pool holds an artifact durably: given only after its state was written to the pool's
/// database. <see cref="Duplicate"/> is true when the pool already held it (publishing is idempotent).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.PublishReceipt")]
public sealed record PublishReceipt(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Topic,
    [property: Id(2)] long Sequence,
    [property: Id(3)] bool Duplicate,
    [property: Id(4)] DateTimeOffset ReceivedAt);
