namespace Commons.Abstractions.Learning;

/// <summary>
/// One logged decision: the situation, what the policy chose and with what probability, and the
/// reward once feedback came. The log is what off-policy evaluation of other policies runs on.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.Episode")]
public sealed record Episode(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Situation,
    [property: Id(3)] IReadOnlyList<SelectedEntry> Selected,
    [property: Id(4)] string? Action,
    [property: Id(5)] double? ActionPropensity,
    [property: Id(6)] IReadOnlyList<string> EvidenceEntryIds,
    [property: Id(7)] double? Reward,
    [property: Id(8)] string? Correction);
