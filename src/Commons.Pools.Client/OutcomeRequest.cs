namespace Commons.Pools.Client;

/// <summary>Body of <c>POST /v1/outcomes</c>: whether an imported insight (a served group) helped.</summary>
public sealed record OutcomeRequest(string Topic, string GroupId, bool Helpful);
