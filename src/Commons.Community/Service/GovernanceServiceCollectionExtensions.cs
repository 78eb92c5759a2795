using Commons.Community.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Service;

/// <summary>The pool's own policy, moderation and erasure, for a community silo.</summary>
public static class GovernanceServiceCollectionExtensions
{
    /// <summary>Registers the loaded policy (<see cref="PoolGovernance.None"/> without one) and the services that apply it.</summary>
    public static IServiceCollection AddPoolGovernance(this IServiceCollection services, PoolGovernance governance, CommunitySiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(silo);
        services.AddSingleton(governance);
        services.AddSingleton(new GovernanceStore(PoolSchema.ForSilo(silo.ConnectionString), silo.ServiceId));
        services.AddSingleton<PoolWithdrawals>();
        services.AddSingleton<PoolModeration>();
        services.AddSingleton<PoolErasure>();
        services.AddHostedService<PolicyAuditService>();
        return services;
    }
}
