namespace Commons.Abstractions.Learning;

/// <summary>
/// An outcome report on an imported insight with what the export pipeline needs to make an
/// <c>outcome</c> artifact of it: the insight's topic, situation and recommendation.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.PendingOutcomeReport")]
public sealed record PendingOutcomeReport(
    [property: Id(0)] OutcomeReport Report,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Situation,
    [property: Id(3)] string Advice,
    [property: Id(4)] string? Action);
