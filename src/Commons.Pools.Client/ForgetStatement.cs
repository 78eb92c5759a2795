namespace Commons.Pools.Client;

/// <summary>
/// A member's request to be forgotten: everything <see cref="Contributor"/> signed, in every topic of
/// the pool and of the pools it reaches through federation. Signed by that same key
/// (<see cref="SignedStatement"/>), so a peer pool can check it without trusting the relay.
/// </summary>
public sealed record ForgetStatement(string Action, string Contributor, string Pool, DateTimeOffset Issued)
{
    /// <summary>The action name a forget statement carries.</summary>
    public const string Forget = "forget";
}
