namespace Commons.Abstractions.Learning;

/// <summary>What a reflection or merge changed.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ReflectionResult")]
public sealed record ReflectionResult(
    [property: Id(0)] int Added,
    [property: Id(1)] int Merged,
    [property: Id(2)] int Edited,
    [property: Id(3)] int Retired,
    [property: Id(4)] int Rejected);
