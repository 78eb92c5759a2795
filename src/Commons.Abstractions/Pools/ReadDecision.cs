namespace Commons.Abstractions.Pools;

/// <summary>Whether a member may read now, and from what: the free allowance or earned credit.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ReadDecision")]
public sealed record ReadDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] bool FromAllowance,
    [property: Id(2)] long Balance,
    [property: Id(3)] string? Reason);
