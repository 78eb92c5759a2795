using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;

namespace Commons.Community.Hosting;

/// <summary>
/// What an operator sees: <c>/healthz</c> (the process answers) and <c>/readyz</c> (the silo is an
/// active member of its cluster and the database answers) on every address, for the compose file's
/// and the systemd unit's checks; and, only on the admin address (<c>Silo:AdminUrls</c>), the
/// Prometheus endpoint (<c>/metrics</c>) and the Orleans Dashboard (<c>/dashboard</c>).
/// </summary>
public static class OperatorView
{
    public const string Healthz = "/healthz";
    public const string Readyz = "/readyz";
    public const string Metrics = "/metrics";
    public const string Dashboard = "/dashboard";

    public static IServiceCollection AddOperatorView(this IServiceCollection services, CommunitySiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        services.AddSingleton<PoolMetrics>();
        services.AddHealthChecks().AddCheck<PoolReadiness>("pool", tags: ["ready"]);
        if (silo.AdminPort is not null)
        {
            services.AddOpenTelemetry().WithMetrics(m => m
                .AddMeter(PoolMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting")
                .AddPrometheusExporter());
        }

        return services;
    }

    public static ISiloBuilder AddOperatorView(this ISiloBuilder builder, CommunitySiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AdminPort is null ? builder : builder.AddDashboard();
    }

    public static WebApplication MapOperatorView(this WebApplication app, CommunitySiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(silo);
        app.MapHealthChecks(Healthz, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(Readyz, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        if (silo.AdminPort is not { } adminPort)
        {
            return app;
        }

        // By the port the connection came in on, not the Host header, which a client chooses.
        app.UseWhen(
            c => c.Connection.LocalPort != adminPort && (c.Request.Path.StartsWithSegments(Metrics) || c.Request.Path.StartsWithSegments(Dashboard)),
            branch => branch.Run(c =>
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        app.MapPrometheusScrapingEndpoint(Metrics);
        app.MapOrleansDashboard(routePrefix: Dashboard);
        return app;
    }
}
