using Commons.Abstractions.Hosting;
using Commons.Personal.Agents;
using Commons.Tools.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Personal.Hosting;

/// <summary>
/// Attaching to a running <c>commons serve</c>: an Orleans client to its silo over loopback (the gateway port it
/// registered in the data folder), so a command calls the same grains the serve hosts instead of failing on the lock.
/// </summary>
public sealed partial class PersonalSilo
{
    /// <summary>The <c>commons serve</c> this process is attached to; null when the silo runs here.</summary>
    public ServeRegistration? AttachedTo { get; }

    private static async Task<PersonalSilo> AttachAsync(
        CommonsHome home,
        IReadOnlyDictionary<string, string?> settings,
        ServeRegistration serve,
        Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        // The services commands read beside the grains (tool approval, pool memberships, sync); the model, the
        // grains and the background sync stay in the serve.
        var builder = CreateBuilder(home, settings, configureLogging);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(serve.GatewayPort, PersonalSiloBuilderExtensions.ServiceId, PersonalSiloBuilderExtensions.ClusterId));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            host.Dispose();
            throw new CommonsException($"commons serve (process {serve.ProcessId}) holds the data folder {home.Root} but does not answer; stop it or wait until it has started.", ex);
        }

        return new PersonalSilo(host, null, home, serve);
    }

    /// <summary>
    /// The host both a silo and an attached client start from: the person's settings (checked), logging, and the
    /// agent's, tools', learning's, sharing's and pool sync's services.
    /// </summary>
    private static HostApplicationBuilder CreateBuilder(CommonsHome home, IReadOnlyDictionary<string, string?> settings, Action<ILoggingBuilder>? configureLogging)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
            ContentRootPath = home.Root,
        });
        builder.Configuration.AddCommonsSettings(home, settings);
        CommonsSettings.Validate(builder.Configuration);
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<AgentOptions>(builder.Configuration.GetSection(AgentOptions.SectionName));
        builder.Services.AddTools(builder.Configuration, home);
        builder.Services.AddLearning(builder.Configuration, home);
        builder.Services.AddSharing(builder.Configuration, home);
        builder.Services.AddPoolSync(builder.Configuration, home);
        return builder;
    }
}
