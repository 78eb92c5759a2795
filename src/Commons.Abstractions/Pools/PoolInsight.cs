namespace Commons.Abstractions.Pools;

/// <summary>
/// A group of artifacts that say the same thing, as a pool serves it: the representative text, how
/// many distinct members back it, the robust success rate (per-contributor caps, trimmed mean or
/// median, reputation weights), the evidence as pseudo-counts, and one signed artifact of the group
/// so the receiver can verify it end to end.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.PoolInsight")]
public sealed record PoolInsight(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Situation,
    [property: Id(3)] string? Advice,
    [property: Id(4)] string? Action,
    [property: Id(5)] int Contributors,
    [property: Id(6)] int Quarantined,
    [property: Id(7)] double SuccessRate,
    [property: Id(8)] double Successes,
    [property: Id(9)] double Failures,
    [property: Id(10)] double Similarity,
    [property: Id(11)] string ArtifactJson);
