using Commons.Abstractions.Agents;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;
using Commons.Personal.Agents;
using Commons.Personal.Pools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Commons.Web;

/// <summary>The owner's grains and the member-side services, found in the personal silo's container.</summary>
internal sealed class PersonalServices(IServiceProvider services)
{
    public IServiceProvider Services => services;

    public string Owner => services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId;

    public IPersonalAgentGrain Agent => Grains.GetGrain<IPersonalAgentGrain>(Owner);

    public IPlaybookGrain Playbook => Grains.GetGrain<IPlaybookGrain>(Owner);

    public IOutboxGrain Outbox => Grains.GetGrain<IOutboxGrain>(Owner);

    public PoolSync PoolSync => services.GetRequiredService<PoolSync>();

    public IPoolMemberships Memberships => services.GetRequiredService<IPoolMemberships>();

    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();
}
