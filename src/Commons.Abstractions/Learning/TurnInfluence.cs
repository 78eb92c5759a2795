namespace Commons.Abstractions.Learning;

/// <summary>
/// One playbook entry behind a turn: its advice went into the prompt (<see cref="InPrompt"/>) or its
/// evidence backed the action; <see cref="Pool"/> is where an imported one came from, and
/// <see cref="UnderTrial"/> says it is an import still being tried on this person's turns.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnInfluence")]
public sealed record TurnInfluence(
    [property: Id(0)] string EntryId,
    [property: Id(1)] string Situation,
    [property: Id(2)] string Advice,
    [property: Id(3)] string? Action,
    [property: Id(4)] EntryOrigin Origin,
    [property: Id(5)] string? Pool,
    [property: Id(6)] bool UnderTrial,
    [property: Id(7)] bool InPrompt,
    [property: Id(8)] double? Propensity);
