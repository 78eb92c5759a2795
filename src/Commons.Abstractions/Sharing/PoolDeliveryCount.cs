namespace Commons.Abstractions.Sharing;

/// <summary>What went to one pool: artifacts it acknowledged, copies still waiting, copies it refused, and trial reports sent.</summary>
[GenerateSerializer, Immutable, Alias("Commons.PoolDeliveryCount")]
public sealed record PoolDeliveryCount(
    [property: Id(0)] string Pool,
    [property: Id(1)] int Delivered,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int Refused,
    [property: Id(4)] int ReportsSent,
    [property: Id(5)] int ReportsWaiting);
