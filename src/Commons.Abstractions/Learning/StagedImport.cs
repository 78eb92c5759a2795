namespace Commons.Abstractions.Learning;

/// <summary>An insight the agent staged from a pool (whatever was decided about it since), and the topic it came under.</summary>
[GenerateSerializer, Immutable, Alias("Commons.StagedImport")]
public sealed record StagedImport(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Topic);
