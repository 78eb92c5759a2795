namespace Commons.Pools.Client;

/// <summary>Body of <c>POST /v1/query</c>: the served insights of a topic closest to a situation.</summary>
public sealed record QueryRequest(string Topic, string Situation, int Max = 5);
