using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// Signs a pool request afresh on each attempt (a new timestamp and nonce). The pool accepts each
/// signature once, so a retry that re-sent the first attempt's headers would be refused as a replay
/// whenever that attempt had reached the pool. Placed inside the retry handler; a request that
/// carries no <see cref="Signing"/> option passes unchanged.
/// </summary>
public sealed class PoolSigningHandler : DelegatingHandler
{
    /// <summary>What a request is signed with: the member key, the clock, and the exact path and body.</summary>
    public static readonly HttpRequestOptionsKey<PoolRequestSigning> Signing = new("Commons.PoolRequestSigning");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(Signing, out var signing))
        {
            signing.Apply(request);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
