using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace Commons.Community.Service;

/// <summary>
/// Puts the pool's signed policy in the audit log when a silo first serves it: members read when each
/// version came into force, and with what terms, beside the admin's other actions.
/// </summary>
public sealed class PolicyAuditService(PoolGovernance governance, GovernanceStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (governance.Policy is not { } policy)
        {
            return;
        }

        await store.AuditOnceAsync(policy.AdminKey, "policy", string.Create(CultureInfo.InvariantCulture, $"v{policy.Version} {policy.PolicyHash[..12]}"),
            string.Create(CultureInfo.InvariantCulture,
                $"in force: accepts {string.Join(", ", policy.AcceptedPolicies)}; {policy.Topics.Count} topics; never shared {string.Join(", ", policy.NeverShared)}; k {policy.K}; lifetime at most {policy.MaxLifetimeDays} days; suspension after {policy.SuspendAfter} violations (signed {policy.Issued:u})"),
            cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
