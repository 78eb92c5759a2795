namespace Commons.Abstractions.Learning;

/// <summary>
/// A rule from the owner's policy that no imported insight may override: actions it may never
/// recommend, and phrases its advice may not contain (for example "without asking").
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.GuardRail")]
public sealed record GuardRail(
    [property: Id(0)] string Name,
    [property: Id(1)] string Rule,
    [property: Id(2)] IReadOnlyList<string> BlockedActions,
    [property: Id(3)] IReadOnlyList<string> BlockedPhrases);
