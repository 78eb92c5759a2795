using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Personal.Pools;

/// <summary>
/// Signed HTTP to the pool's URL, through the named client whose standard resilience handler retries
/// transient failures (network errors, timeouts, 408, 429, 5xx) with exponential backoff and jitter.
/// Resending is safe: artifacts are content-addressed and publishing is idempotent.
/// </summary>
public sealed class HttpPoolTransportFactory(IHttpClientFactory clients) : IPoolTransportFactory
{
    /// <summary>The named HTTP client every pool request goes through.</summary>
    public const string ClientName = "commons-pools";

    public IPoolTransport Open(PoolMembership membership, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var http = clients.CreateClient(ClientName);
        http.BaseAddress = new Uri(membership.Url);
        return new PoolClient(http, key);
    }
}
