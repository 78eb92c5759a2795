namespace Commons.Abstractions.Learning;

/// <summary>An entry chosen for a turn, with the probability the policy had of choosing it.</summary>
[GenerateSerializer, Immutable, Alias("Commons.SelectedEntry")]
public sealed record SelectedEntry(
    [property: Id(0)] string EntryId,
    [property: Id(1)] string Advice,
    [property: Id(2)] string? Action,
    [property: Id(3)] double Similarity,
    [property: Id(4)] double Propensity);
