using System.ComponentModel.DataAnnotations;
using Commons.Abstractions.Hosting;
using Commons.Community.Federation;
using Commons.Community.Grains;
using Commons.Community.Http;
using Commons.Community.Pooling;
using Commons.Community.Service;
using Commons.Inference.Embeddings;
using Commons.Pools.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Community.Hosting;

/// <summary>
/// A running community silo in this process: a member of the pool's Orleans cluster (clustering and
/// grain state on PostgreSQL) that also serves the pool HTTP API.
/// </summary>
public sealed class CommunitySilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SiloTls? _tls;
    private int _disposed;

    private CommunitySilo(WebApplication app, CommunitySiloOptions silo, PoolOptions pool, SiloTls? tls)
    {
        _app = app;
        _tls = tls;
        Silo = silo;
        Pool = pool;
    }

    public CommunitySiloOptions Silo { get; }

    public PoolOptions Pool { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The admin address (metrics, dashboard), or null when there is none.</summary>
    public Uri? AdminUrl => string.IsNullOrWhiteSpace(Silo.AdminUrls) ? null : new Uri(Silo.AdminUrls.Split(';')[0]);

    /// <summary>The address the HTTP API listens on.</summary>
    public Uri Url => new(Silo.Urls.Split(';')[0]);

    /// <summary>
    /// Applies the schema (idempotent), joins the cluster and starts serving. <paramref name="settings"/>
    /// are configuration keys such as <c>Silo:ConnectionString</c> and <c>Pool:AdminKey</c>; an optional
    /// JSON file (<c>--config</c>) and <c>COMMONS_</c> environment variables come first.
    /// </summary>
    public static async Task<CommunitySilo> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        string? configFile = null,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CommonsException($"The pool configuration file {configFile} does not exist.");
            }

            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        builder.Configuration.AddEnvironmentVariables("COMMONS_");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);

        var silo = Bind<CommunitySiloOptions>(builder.Configuration, CommunitySiloOptions.SectionName);
        var pool = Bind<PoolOptions>(builder.Configuration, PoolOptions.SectionName);
        var tls = SiloTls.From(silo);
        try
        {
            return await StartAsync(builder, silo, pool, tls, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tls?.Dispose();
            throw;
        }
    }

    private static async Task<CommunitySilo> StartAsync(WebApplicationBuilder builder, CommunitySiloOptions silo, PoolOptions pool, SiloTls? tls, CancellationToken cancellationToken)
    {
        SiloPorts.EnsureFree(silo);

        // The pool's own policy, if its admin signed one; members are told its k, so the pool applies that k.
        var governance = PoolGovernance.Load(Bind<GovernanceOptions>(builder.Configuration, GovernanceOptions.SectionName), pool.AdminKey);
        if (governance.Policy is { } signed)
        {
            pool.K = signed.K;
        }

        await PoolSchema.ApplyAsync(silo.ConnectionString, cancellationToken).ConfigureAwait(false);
        await LogStoreCheck.EnsureMatchesAsync(silo, pool, cancellationToken).ConfigureAwait(false);

        if (!string.IsNullOrWhiteSpace(silo.AdminUrls)
            && (!Uri.TryCreate(silo.AdminUrls.Split(';')[0], UriKind.Absolute, out var admin) || admin.Port == new Uri(silo.Urls.Split(';')[0]).Port))
        {
            throw new CommonsException($"Silo:AdminUrls must be an http(s) address with a port of its own (not the API's), not {silo.AdminUrls}.");
        }

        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(silo.AdminUrls) ? silo.Urls : silo.Urls + ";" + silo.AdminUrls);
        builder.Services.AddSingleton(silo);
        builder.Services.AddOperatorView(silo);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = SignedRequest.MaxBody);
        builder.Services.AddCommunityPool(pool, silo);
        builder.Services.AddPoolGovernance(governance, silo);
        builder.UseOrleans(s => s.AddCommunitySilo(silo, tls).AddOperatorView(silo));

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteFailureAsync, SuppressDiagnosticsCallback = _ => true });
        app.MapOperatorView(silo);
        app.MapPoolApi();
        app.MapGovernanceApi();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Orleans.Runtime.OrleansException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new CommonsException($"The community silo could not start: {ex.Message}", ex);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new CommunitySilo(app, silo, pool, tls);
    }

    /// <summary>Waits until the process is asked to stop (Ctrl-C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _tls?.Dispose();
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CommonsException($"A {section} setting is not valid: {ex.Message}", ex);
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var first = results[0];
            var name = first.MemberNames.FirstOrDefault();
            throw new CommonsException(first.ErrorMessage?.Contains(section + ":", StringComparison.Ordinal) == true
                ? first.ErrorMessage
                : $"{section}:{name} is not valid: {first.ErrorMessage}");
        }

        return options;
    }

    private static async Task WriteFailureAsync(HttpContext context)
    {
        // Kestrel's own limits (a body over Kestrel's MaxRequestBodySize, also when it arrives
        // chunked with no Content-Length) surface as BadHttpRequestException when the body is read:
        // the client's fault, with the status Kestrel chose (413), never a retry.
        if (context.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad)
        {
            context.Response.StatusCode = bad.StatusCode;
            var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {SignedRequest.MaxBody} bytes."
                : $"The request is malformed: {bad.Message}";
            await context.Response.WriteAsJsonAsync(new PoolError(message), PoolClient.Json).ConfigureAwait(false);
            return;
        }

        // Most other failures here are a silo of the cluster going away mid-call: the client retries.
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        await context.Response.WriteAsJsonAsync(new PoolError("The pool could not complete the request just now; try again."), PoolClient.Json).ConfigureAwait(false);
    }
}
