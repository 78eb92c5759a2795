namespace Commons.Abstractions.Learning;

/// <summary>
/// The action the playbook chose for a situation, the probability it had of choosing it
/// (for off-policy evaluation later), and the entries whose evidence backed it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ActionDecision")]
public sealed record ActionDecision(
    [property: Id(0)] string EpisodeId,
    [property: Id(1)] string Action,
    [property: Id(2)] double Propensity,
    [property: Id(3)] IReadOnlyList<string> EvidenceEntryIds,
    [property: Id(4)] bool Explored);
