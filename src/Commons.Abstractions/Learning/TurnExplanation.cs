namespace Commons.Abstractions.Learning;

/// <summary>
/// Why a turn went as it did (<c>/why</c>): the action the playbook chose and its probability, and each
/// entry that shaped the reply — the person's own or imported (with the pool it came from).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnExplanation")]
public sealed record TurnExplanation(
    [property: Id(0)] string EpisodeId,
    [property: Id(1)] string? Action,
    [property: Id(2)] double? Propensity,
    [property: Id(3)] IReadOnlyList<TurnInfluence> Entries);
