namespace Commons.Pools.Client;

/// <summary>Body of <c>GET /v1/topics</c>.</summary>
public sealed record TopicList(IReadOnlyList<string> Topics, string? Next = null);
