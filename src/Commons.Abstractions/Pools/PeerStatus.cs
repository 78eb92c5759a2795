namespace Commons.Abstractions.Pools;

/// <summary>Replication from one peer pool: artifacts taken so far, when, and the last error if any.</summary>
[GenerateSerializer, Immutable, Alias("Commons.PeerStatus")]
public sealed record PeerStatus(
    [property: Id(0)] string Url,
    [property: Id(1)] bool Joined,
    [property: Id(2)] long Replicated,
    [property: Id(3)] long Rejected,
    [property: Id(4)] DateTimeOffset? LastSync,
    [property: Id(5)] string? LastError);
