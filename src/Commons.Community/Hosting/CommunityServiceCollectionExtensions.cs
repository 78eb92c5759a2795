using System.Diagnostics.Metrics;
using Commons.Community.Federation;
using Commons.Community.Grains;
using Commons.Community.Http;
using Commons.Community.Pooling;
using Commons.Community.Service;
using Commons.Inference.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Community.Hosting;

/// <summary>The services a community silo's grains and HTTP API use.</summary>
public static class CommunityServiceCollectionExtensions
{
    public static IServiceCollection AddCommunityPool(this IServiceCollection services, PoolOptions pool, CommunitySiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(silo);
        services.AddSingleton(Options.Create(pool));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new MemberCache(PoolSchema.ForSilo(silo.ConnectionString), silo.ServiceId));
        services.AddSingleton<ReplayCache>();
        services.AddSingleton<MemberRateLimits>();
        services.AddSingleton(new TopicDirectory(PoolSchema.ForSilo(silo.ConnectionString), silo.ServiceId));
        services.AddSingleton(new TopicTextStore(PoolSchema.ForSilo(silo.ConnectionString), silo.ServiceId));
        if (pool.LogStore == "table")
        {
            // A factory, so that the container stops its writers (after the grains, which flush into it).
            services.AddSingleton<ITopicLog>(sp => new PostgresTopicLog(PoolSchema.ForSilo(silo.ConnectionString), silo.ServiceId, pool.LogWriters,
                sp.GetService<ILogger<PostgresTopicLog>>(), sp.GetService<IMeterFactory>()));
        }
        services.AddSingleton<PoolService>();
        // MiniLM loads on first use (about a second): a silo that only stores never pays for it.
        services.AddSingleton(_ => new PoolEmbeddings(() => new MiniLmEmbeddingGenerator()));
        services.AddHttpClient(PeerGrain.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHostedService<FederationService>();
        return services;
    }
}
