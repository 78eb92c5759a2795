namespace Commons.Abstractions.Pools;

/// <summary>
/// What a withdrawal did in one topic: the artifacts newly withdrawn, the groups they backed, and how
/// many of those groups the pool no longer serves (they fell below k without them).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.WithdrawalResult")]
public sealed record WithdrawalResult(
    [property: Id(0)] IReadOnlyList<string> Withdrawn,
    [property: Id(1)] int GroupsBacked,
    [property: Id(2)] int GroupsNoLongerServed);
