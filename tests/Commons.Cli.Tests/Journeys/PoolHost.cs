using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Commons.Tests.Shared;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// A cooperative member hosting a pool the way the README says: <c>pool keygen</c>, <c>pool init-db</c>,
/// a <c>pool serve</c> process on PostgreSQL (k = 2), and <c>pool invite</c> for each person.
/// </summary>
internal sealed class PoolHost : IAsyncDisposable
{
    private readonly ScratchFolder _scratch;
    private readonly RunningCommons _serve;
    private readonly string _database;

    private PoolHost(ScratchFolder scratch, RunningCommons serve, string database, string url)
    {
        _scratch = scratch;
        _serve = serve;
        _database = database;
        Url = url;
    }

    public string Url { get; }

    private string AdminKey => _scratch.PathOf("admin.key");

    public static async Task<PoolHost> StartAsync(ScratchFolder scratch)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var host = Path.Combine(scratch.Root, "host");
        Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "init-db", "--connection", database));
        var keygen = Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "keygen", "--out", scratch.PathOf("admin.key")));
        var adminKey = keygen.StandardOutput.Trim().Split('\n')[^1].Trim();
        var url = $"http://127.0.0.1:{FreePort()}";
        var serve = RunningCommons.Start(host, "pool", "serve", "--connection", database, "--admin", adminKey, "--urls", url,
            "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture), "--k", "2");
        await serve.WaitForOutputLineAsync(l => l.Contains("serving on", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        return new PoolHost(scratch, serve, database, url);
    }

    /// <summary>Invites the person whose data folder is <paramref name="home"/> and has them join.</summary>
    public async Task JoinAsync(string home)
    {
        var invite = Succeeded(await CommonsExecutable.RunAsync(Path.Combine(_scratch.Root, "host"), "", "pool", "invite", "--admin-key", AdminKey));
        Succeeded(await CommonsExecutable.RunAsync(home, "", "pool", "join", Url, "--invite", invite.StandardOutput.Trim()));
    }

    public string ServeOutput => _serve.StandardOutput + _serve.StandardError;

    public async ValueTask DisposeAsync()
    {
        await _serve.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    public static CommonsRunResult Succeeded(CommonsRunResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
