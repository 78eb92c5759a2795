using Commons.Abstractions.Hosting;
using Commons.Personal.Pools;
using Commons.Pools.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Commons.Personal.Hosting;

/// <summary>Registers the member side of the pools: memberships, the HTTP transport with retries, and the sync.</summary>
public static class PoolSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PoolSync"/> over the person's memberships in <c>$COMMONS_HOME/pools/</c> and signed
    /// HTTP through Microsoft.Extensions.Http.Resilience's standard handler (retries with backoff and
    /// jitter, per-attempt and total timeouts). Needs <see cref="SharingServiceCollectionExtensions.AddSharing"/> first.
    /// </summary>
    public static IServiceCollection AddPoolSync(this IServiceCollection services, IConfiguration configuration, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        services.AddOptions<PoolSyncOptions>()
            .Bind(configuration.GetSection(PoolSyncOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPoolMemberships>(_ => new FilePoolMemberships(new PoolMembershipStore(home)));
        services.AddSingleton<IPoolTransportFactory, HttpPoolTransportFactory>();
        services.AddSingleton<IServedArtifactCheck, StrictArtifactCheck>();
        var pools = services.AddHttpClient(HttpPoolTransportFactory.ClientName);
        pools.AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(40);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(20);
                o.Retry.MaxRetryAttempts = 3;
                // POSTs are retried too: each attempt is signed afresh (PoolSigningHandler, inside this
                // handler), publishing is idempotent (content-addressed) and a report is one vote per member.
            })
            // One pool that is down must not open the circuit for the others.
            .SelectPipelineByAuthority();
        pools.AddHttpMessageHandler(() => new PoolSigningHandler());
        services.AddSingleton<PoolSync>();
        return services;
    }
}
