namespace Commons.Abstractions.Pools;

/// <summary>What became of an outcome report: applied to how many contributors, or why not.</summary>
[GenerateSerializer, Immutable, Alias("Commons.OutcomeResult")]
public sealed record OutcomeResult(
    [property: Id(0)] bool Applied,
    [property: Id(1)] int ContributorsAffected,
    [property: Id(2)] string? Reason);
