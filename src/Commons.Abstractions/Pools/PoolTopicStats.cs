namespace Commons.Abstractions.Pools;

/// <summary>A topic shard's size: artifacts held, groups formed, groups that reach the k threshold.</summary>
[GenerateSerializer, Immutable, Alias("Commons.PoolTopicStats")]
public sealed record PoolTopicStats(
    [property: Id(0)] string Topic,
    [property: Id(1)] long Artifacts,
    [property: Id(2)] int Groups,
    [property: Id(3)] int ServedGroups);
