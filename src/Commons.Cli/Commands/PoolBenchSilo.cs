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
        var settings = new Dictionary<string, string?>
        {
            ["Silo:ConnectionString"] = connectionString,
            ["Silo:Urls"] = $"http://127.0.0.1:{port}",
            ["Silo:SiloPort"] = PoolBench.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Silo:ClusterId"] = run,
            ["Silo:ServiceId"] = run,
            ["Pool:AdminKey"] = admin.KeyId,
            ["Pool:Name"] = "bench",
            ["Pool:LogStore"] = logStore,
            // The load is the bench's few members publishing and reading as fast as it offers: the
            // per-member limits and the read allowance would measure themselves, not the silo.
            ["Pool:PublishesPerSecond"] = "1000000",
            ["Pool:PublishBurst"] = "1000000",
            ["Pool:ReadsPerSecond"] = "1000000",
            ["Pool:ReadBurst"] = "1000000",
            ["Pool:FreeReadsPerDay"] = "1000000",
        };
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

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        handler.Dispose();
        await silo.DisposeAsync();
    }
}
