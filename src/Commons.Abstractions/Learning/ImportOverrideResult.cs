namespace Commons.Abstractions.Learning;

/// <summary>What the owner's override of an import did: applied (with the review now on record), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ImportOverrideResult")]
public sealed record ImportOverrideResult(
    [property: Id(0)] bool Applied,
    [property: Id(1)] string Message,
    [property: Id(2)] ImportReview? Review);
