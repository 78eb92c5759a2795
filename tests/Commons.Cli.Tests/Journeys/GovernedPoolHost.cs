using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Commons.Tests.Shared;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// A pool host that runs its pool under a policy of its own, the way the README says: <c>pool keygen</c>
/// for the admin key and the receipt key, <c>pool policy sign</c> over a policies folder, <c>pool
/// init-db</c>, and a <c>pool serve --policy</c> process on PostgreSQL; admin commands are signed with
/// the admin key. Peers are pulled every second.
/// </summary>
internal sealed class GovernedPoolHost : IAsyncDisposable
{
    private readonly RunningCommons _serve;
    private readonly string _database;

    private GovernedPoolHost(string host, RunningCommons serve, string database, string url, string adminKeyFile)
    {
        HostHome = host;
        _serve = serve;
        _database = database;
        Url = url;
        AdminKeyFile = adminKeyFile;
    }

    public string Url { get; }

    public string HostHome { get; }

    public string AdminKeyFile { get; }

    public string ServeOutput => _serve.StandardOutput + _serve.StandardError;

    /// <param name="editSharing">Changes the pool's copy of the shipped sharing.yaml (its topics and never-shared topics).</param>
    public static async Task<GovernedPoolHost> StartAsync(ScratchFolder scratch, string name, int k, Func<string, string>? editSharing = null)
    {
        var host = Path.Combine(scratch.Root, "host-" + name);
        Directory.CreateDirectory(host);
        var policies = PolicyFolder.CopyShipped(Path.Combine(host, "pool-policies"), editSharing);
        var database = await TestPostgres.CreateDatabaseAsync();
        PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "init-db", "--connection", database));
        var adminKeyFile = Path.Combine(host, "admin.key");
        var adminKey = KeyId(PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "keygen", "--out", adminKeyFile)));
        var receiptKeyFile = Path.Combine(host, "receipt.key");
        PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "keygen", "--out", receiptKeyFile));
        var policyFile = Path.Combine(host, "pool-policy.json");
        PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "policy", "sign", "--admin-key", adminKeyFile, "--policies", policies,
            "--k", k.ToString(CultureInfo.InvariantCulture), "--receipt-key", receiptKeyFile, "--name", name, "--out", policyFile));
        var url = $"http://127.0.0.1:{FreePort()}";
        var serve = RunningCommons.Start(host, new Dictionary<string, string> { ["COMMONS_Pool__FederationIntervalSeconds"] = "1" },
            "pool", "serve", "--connection", database, "--admin", adminKey, "--urls", url,
            "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--policy", policyFile, "--policies", policies, "--receipt-key", receiptKeyFile);
        await serve.WaitForOutputLineAsync(l => l.Contains("serving on", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        return new GovernedPoolHost(host, serve, database, url, adminKeyFile);
    }

    /// <summary>Invites the person whose data folder is <paramref name="home"/>; what their <c>pool join</c> printed.</summary>
    public async Task<CommonsRunResult> JoinAsync(string home)
    {
        var invite = await AdminAsync("invite");
        return PoolHost.Succeeded(await CommonsExecutable.RunAsync(home, "", "pool", "join", Url, "--invite", invite.StandardOutput.Trim()));
    }

    /// <summary><c>commons pool ARGS --admin-key admin.key</c> (and <c>--pool URL</c> where the command takes it), from the host's folder.</summary>
    public async Task<CommonsRunResult> AdminAsync(params string[] args)
    {
        string[] pool = args[0] is "moderation" or "peer" ? ["--pool", Url] : [];
        return PoolHost.Succeeded(await CommonsExecutable.RunAsync(HostHome, "", ["pool", .. args, "--admin-key", AdminKeyFile, .. pool]));
    }

    public async ValueTask DisposeAsync()
    {
        await _serve.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    private static string KeyId(CommonsRunResult keygen) => keygen.StandardOutput.Trim().Split('\n')[^1].Trim();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
