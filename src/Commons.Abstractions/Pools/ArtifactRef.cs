namespace Commons.Abstractions.Pools;

/// <summary>An artifact a pool holds, by id, and the member key that signed it.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ArtifactRef")]
public sealed record ArtifactRef(
    [property: Id(0)] string Id,
    [property: Id(1)] string Contributor);
