namespace Commons.Pools.Client;

/// <summary>Body of <c>POST /v1/join</c>: the invite the joining key presents.</summary>
public sealed record JoinRequest(string Invite);
