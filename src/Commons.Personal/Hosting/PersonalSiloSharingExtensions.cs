using Commons.Abstractions.Sharing;
using Commons.Personal.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Hosting;

/// <summary>The person's outbox on a running personal silo.</summary>
public static class PersonalSiloSharingExtensions
{
    /// <summary>The outbox grain of the silo's owner.</summary>
    public static IOutboxGrain Outbox(this PersonalSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<IOutboxGrain>(silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId);
    }
}
