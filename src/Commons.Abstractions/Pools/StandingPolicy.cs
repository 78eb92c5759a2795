namespace Commons.Abstractions.Pools;

/// <summary>
/// When a pool stops counting a contributor toward a group's k: once it is at least
/// <paramref name="Confidence"/> sure, from other members' outcome reports, that the contributor's
/// insights help in fewer than <paramref name="MinHelpfulShare"/> of the trials they get.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.StandingPolicy")]
public sealed record StandingPolicy(
    [property: Id(0)] double MinHelpfulShare,
    [property: Id(1)] double Confidence);
