namespace Commons.Pools.Client;

/// <summary>
/// Body of <c>POST /v1/outcomes</c>: whether an imported insight (a served group or wording) helped.
/// <see cref="Epsilon"/> is the randomised response the member's pipeline put the bit through (null: the
/// bit is exact), so that the pool can weigh it for what it is.
/// </summary>
public sealed record OutcomeRequest(string Topic, string GroupId, bool Helpful, double? Epsilon = null);
