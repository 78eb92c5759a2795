namespace Commons.Abstractions.Sharing;

/// <summary>
/// The state of sharing: the policy in force (or why none is), the contributor key id, today's epsilon
/// spending, how many artifacts wait where (in all and per pool), and the refusals that stand until the policy or the entry changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareSummary")]
public sealed record ShareSummary(
    [property: Id(0)] string? PolicyId,
    [property: Id(1)] string? PolicyHash,
    [property: Id(2)] string? PolicyProblem,
    [property: Id(3)] string? ContributorKeyId,
    [property: Id(4)] decimal EpsilonSpentToday,
    [property: Id(5)] decimal? DailyEpsilonBudget,
    [property: Id(6)] int AwaitingApproval,
    [property: Id(7)] int ReadyToDeliver,
    [property: Id(8)] int Delivered,
    [property: Id(9)] int Denied,
    [property: Id(10)] IReadOnlyList<ShareRefusal> StandingRefusals,
    [property: Id(11)] IReadOnlyList<PoolDeliveryCount>? Pools = null);
