using Commons.Abstractions.Sharing;
using Commons.Personal.Agents;
using Commons.Personal.Pools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Hosting;

/// <summary>The person's outbox, and its sync with the pools, on a running personal silo.</summary>
public static class PersonalSiloSharingExtensions
{
    /// <summary>The outbox grain of the silo's owner.</summary>
    public static IOutboxGrain Outbox(this PersonalSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<IOutboxGrain>(silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId);
    }

    /// <summary>Syncs the owner's agent with its pools now (what the background worker does on its schedule).</summary>
    public static Task<IReadOnlyList<PoolSyncResult>> SyncPoolsAsync(this PersonalSilo silo, PoolSyncSteps steps, IReadOnlyList<string>? topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Services.GetRequiredService<PoolSync>()
            .SyncAsync(silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId, steps, topics, cancellationToken);
    }
}
