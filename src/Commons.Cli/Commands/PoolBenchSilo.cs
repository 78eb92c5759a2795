using System.Globalization;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.Logging;

namespace Commons.Cli.Commands;

/// <summary>
/// One silo of <c>commons pool bench</c>, with its own service id on the bench's database, the bench's
/// members joined and an HTTP client for each; <paramref name="LogStore"/> is its <c>Pool:LogStore</c>.
/// </summary>
internal sealed class PoolBenchSilo(string LogStore, CommunitySilo silo, SocketsHttpHandler handler, HttpClient http, List<PoolClient> clients) : IAsyncDisposable
{
    public string LogStore { get; } = LogStore;

    public List<PoolClient> Clients { get; } = clients;

    public static async Task<PoolBenchSilo> StartAsync(string connectionString, string logStore, ContributorKey admin, List<ContributorKey> keys, CancellationToken cancellationToken)
    {
        var port = PoolBench.FreePort();
        var run = $"bench-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Environment.ProcessId}-{logStore}";
        var settings = Settings(connectionString, run, port, admin);
        settings["Pool:LogStore"] = logStore;
        // The load is the bench's few members publishing and reading as fast as it offers: the
        // per-member limits and the read allowance would measure themselves, not the silo.
        foreach (var limit in new[] { "PublishesPerSecond", "PublishBurst", "ReadsPerSecond", "ReadBurst", "FreeReadsPerDay" })
        {
            settings["Pool:" + limit] = "1000000";
        }

        Console.Out.WriteLine($"starting one silo (service {run}, topic logs in {logStore}) on http://127.0.0.1:{port} ...");
        var silo = await CommunitySilo.StartAsync(settings, null, l => l.SetMinimumLevel(LogLevel.Error), cancellationToken);
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var http = new HttpClient(handler) { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var invite = InviteToken.Create(admin, TimeSpan.FromHours(1), keys.Count, DateTimeOffset.UtcNow);
            var clients = keys.Select(k => new PoolClient(http, k)).ToList();
            foreach (var client in clients)
            {
                await client.JoinAsync(invite, cancellationToken);
            }

            return new PoolBenchSilo(logStore, silo, handler, http, clients);
        }
        catch
        {
            http.Dispose();
            handler.Dispose();
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>A bench silo's settings: its own cluster and service id <paramref name="run"/> on the bench's database, HTTP on 127.0.0.1.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string run, int port, ContributorKey admin) => new()
    {
        ["Silo:ConnectionString"] = connectionString,
        ["Silo:Urls"] = $"http://127.0.0.1:{port}",
        ["Silo:SiloPort"] = PoolBench.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Silo:ClusterId"] = run,
        ["Silo:ServiceId"] = run,
        ["Pool:AdminKey"] = admin.KeyId,
        ["Pool:Name"] = "bench",
    };

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        handler.Dispose();
        await silo.DisposeAsync();
    }
}
