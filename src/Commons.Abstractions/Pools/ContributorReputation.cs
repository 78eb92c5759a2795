namespace Commons.Abstractions.Pools;

/// <summary>
/// What other members' outcome reports say of a contributor: <paramref name="Share"/>, the estimated
/// share of trials its insights helped in (0.5 before any report), which weighs its evidence; and
/// whether it still counts toward a group's k under the pool's <see cref="StandingPolicy"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ContributorReputation")]
public sealed record ContributorReputation(
    [property: Id(0)] double Share,
    [property: Id(1)] bool CountsTowardK);
