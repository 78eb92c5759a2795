namespace Commons.Abstractions.Learning;

/// <summary>
/// An insight pulled from a pool, as the playbook receives it: the situation and what it recommends,
/// the pool's aggregated evidence and the contributor's reputation (0 to 1).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ImportedInsight")]
public sealed record ImportedInsight(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Pool,
    [property: Id(2)] string Contributor,
    [property: Id(3)] string Topic,
    [property: Id(4)] string Situation,
    [property: Id(5)] string Advice,
    [property: Id(6)] string? Action,
    [property: Id(7)] double Successes,
    [property: Id(8)] double Failures,
    [property: Id(9)] double Reputation);
