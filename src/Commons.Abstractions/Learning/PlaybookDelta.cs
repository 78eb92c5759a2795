namespace Commons.Abstractions.Learning;

/// <summary>A small change proposed by reflection; deterministic code decides how it merges.</summary>
[GenerateSerializer, Immutable, Alias("Commons.PlaybookDelta")]
public sealed record PlaybookDelta(
    [property: Id(0)] PlaybookDeltaKind Kind,
    [property: Id(1)] string? EntryId,
    [property: Id(2)] string? Situation,
    [property: Id(3)] string? Advice,
    [property: Id(4)] string? Action);
