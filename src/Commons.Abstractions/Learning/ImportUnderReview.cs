namespace Commons.Abstractions.Learning;

/// <summary>An imported insight still under review (staged, neither adopted nor rejected yet), and the topic it came under.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ImportUnderReview")]
public sealed record ImportUnderReview(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Topic);
