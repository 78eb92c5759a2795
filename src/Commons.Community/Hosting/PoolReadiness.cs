using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Commons.Community.Hosting;

/// <summary>Ready: this silo is an active member of its cluster, and the pool's database answers.</summary>
public sealed class PoolReadiness(IClusterMembershipService membership, ILocalSiloDetails local, CommunitySiloOptions silo) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {status}, not an active member of its cluster.");
        }

        try
        {
            await using var connection = new NpgsqlConnection(PoolSchema.ForSilo(silo.ConnectionString));
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The pool's database does not answer.", ex);
        }

        return HealthCheckResult.Healthy();
    }
}
