using System.Security.Cryptography;
using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Commons.Inference.Models;
using Commons.Personal.Hosting;
using Commons.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Commons.Serve.Hosting;

/// <summary>
/// <c>commons serve</c>: the personal silo (grains, model, background pool sync) and the HTTP API in one
/// long-running process per data folder, registered in the folder so other commands attach to it.
/// </summary>
public sealed class CommonsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PersonalSilo _silo;
    private readonly ServeRegistration _registration;

    private CommonsServer(WebApplication app, PersonalSilo silo, ServeRegistration registration)
    {
        _app = app;
        _silo = silo;
        _registration = registration;
    }

    /// <summary>Where the API answers (the first address, with the port actually bound).</summary>
    public Uri Url => new(_registration.Url);

    /// <summary>The personal silo this server runs.</summary>
    public PersonalSilo Silo => _silo;

    /// <summary>
    /// Checks the serve settings (an address beyond loopback needs a key), starts the silo with its model and
    /// pool sync, then the API. Bad settings fail before the model loads.
    /// </summary>
    public static async Task<CommonsServer> StartAsync(
        CommonsHome home,
        IReadOnlyDictionary<string, string?> settings,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(settings);
        var options = ReadOptions(home, settings);
        ServeAccess.Check(options);
        if (ServeRegistration.Find(home) is { } running && PersonalSilo.IsInUse(home))
        {
            throw new CommonsException($"commons serve is already running for the data folder {home.Root}: it listens on {running.Url.TrimEnd('/')} (process {running.ProcessId}); use that one, or stop it first.");
        }

        var silo = await PersonalSilo.StartAsync(home, settings, configureLogging, cancellationToken, syncPools: true).ConfigureAwait(false);
        WebApplication? app = null;
        try
        {
            app = Build(silo, options, configureLogging, out var token);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new CommonsException($"commons serve could not listen on {options.Urls}: another program (another commons serve, perhaps for another data folder) listens there already; choose another address with --urls.", ex);
            }
            catch (IOException ex)
            {
                throw new CommonsException($"commons serve could not listen on {options.Urls}: {ex.Message}", ex);
            }

            var url = app.Urls.First();
            var gateway = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.GatewayPort;
            var registration = new ServeRegistration(url, gateway, silo.ModelName, Environment.ProcessId, token);
            registration.Write(home);
            // The commands that attach name the model in use: a switch (the page, the API's model field) is recorded.
            if (silo.Services.GetService<ModelSlot>() is { } slot && silo.Services.GetService<ModelChoice>() is { } choice)
            {
                slot.Switched += (_, _) => (registration with { ModelName = choice.Current }).Write(home);
            }

            return new CommonsServer(app, silo, registration);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the process is asked to stop (Ctrl-C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _registration.Remove(_silo.Home);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            await _silo.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ServeOptions ReadOptions(CommonsHome home, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddCommonsSettings(home, settings).Build();
        var options = new ServeOptions();
        try
        {
            configuration.GetSection(ServeOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CommonsException($"A Serve setting is not valid: {ex.Message}", ex);
        }

        if (options.MaxRequestBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new CommonsException("Serve:MaxRequestBytes must be between 1024 and 67108864.");
        }

        return options;
    }

    private static WebApplication Build(PersonalSilo silo, ServeOptions options, Action<ILoggingBuilder>? configureLogging, out string token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = silo.Home.Root });
        // The person's settings were read by the silo; the web host reads nothing of its own.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        // A failure to start (the address taken) is said in one sentence by StartAsync; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Services.AddSingleton(silo);
        builder.Services.AddSingleton(silo.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        if (options.CorsOrigins.Count > 0)
        {
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));
        }

        var app = builder.Build();
        app.UseMiddleware<ServeErrors>();
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        app.UseMiddleware<BearerKey>(options.ApiKey ?? "", token);
        app.MapCommonsApi();
        app.MapCommonsWeb(silo.Services);
        return app;
    }
}
