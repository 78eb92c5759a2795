namespace Commons.Abstractions.Learning;

/// <summary>
/// What the playbook decided for one turn, logged as episode <see cref="EpisodeId"/>: the action (one of
/// the agent's tools, or replying directly), the probability it had of choosing it, the entries whose
/// evidence backed it, and the advice entries that go into the prompt (each with its own probability).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnDecision")]
public sealed record TurnDecision(
    [property: Id(0)] string EpisodeId,
    [property: Id(1)] string Action,
    [property: Id(2)] double Propensity,
    [property: Id(3)] IReadOnlyList<string> EvidenceEntryIds,
    [property: Id(4)] bool Explored,
    [property: Id(5)] IReadOnlyList<SelectedEntry> Advice);
