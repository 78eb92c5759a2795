using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Commons.Cli.Tests.Journeys;
using Commons.Tests.Shared;

namespace Commons.Cli.Tests;

/// <summary>Issue 16 rows: a second <c>pool serve</c> on the same ports, and one whose HTTP port is taken; a pool database that serve or bench cannot use.</summary>
[Collection(CommonsCollection.Name)]
public sealed class PoolServePortTests
{
    [Fact]
    public async Task PoolServe_SecondSiloOnTheSamePorts_RefusesInOneSentenceAndTheFirstKeepsServing()
    {
        using var scratch = new ScratchFolder();
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var host = scratch.PathOf("host");
            PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "init-db", "--connection", database));
            var adminKey = PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "keygen", "--out", scratch.PathOf("admin.key")))
                .StandardOutput.Trim().Split('\n')[^1].Trim();
            string[] serve = ["pool", "serve", "--connection", database, "--admin", adminKey, "--urls", $"http://127.0.0.1:{FreePort()}",
                "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture)];
            await using var first = RunningCommons.Start(host, serve);
            await first.WaitForOutputLineAsync(l => l.Contains("serving on", StringComparison.Ordinal), TimeSpan.FromSeconds(120));

            var second = await CommonsExecutable.RunAsync(scratch.PathOf("host2"), "", serve);

            BadInputAssert.OneSentence(second, $"Port {serve[9]}", "--silo-port");
            // The cluster would have declared the first silo dead within a few probe timeouts (2 s each).
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.False(first.HasExited, $"The first silo ended.\n{first.StandardOutput}\n{first.StandardError}");
            // ...and it still answers for its grains: a person can be invited and join through it.
            var invite = PoolHost.Succeeded(await CommonsExecutable.RunAsync(host, "", "pool", "invite", "--admin-key", scratch.PathOf("admin.key")));
            PoolHost.Succeeded(await CommonsExecutable.RunAsync(scratch.PathOf("member"), "", "pool", "join", serve[7], "--invite", invite.StandardOutput.Trim()));
            Assert.False(first.HasExited, $"The first silo ended.\n{first.StandardOutput}\n{first.StandardError}");
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task PoolServe_HttpPortTaken_OneSentenceAndNoLogLines()
    {
        using var scratch = new ScratchFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CommonsExecutable.RunAsync(scratch.PathOf("host"), "", "pool", "serve", "--connection", await TestPostgres.ServerAsync(),
            "--admin", "ed25519:hJnv-CA7IkcbaSnUvOhhRkpqZvnzJq6NrOhn7Y1i9io", "--urls", $"http://127.0.0.1:{port}",
            "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture));

        BadInputAssert.OneSentence(result, $"Port {port}", "--urls");
        Assert.DoesNotContain("fail:", result.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pool", "serve")]
    [InlineData("pool", "bench")]
    public async Task ConnectionStringNpgsqlCannotRead_OneSentenceNamingTheOption(string group, string command)
    {
        using var scratch = new ScratchFolder();
        string[] args = command == "serve"
            ? [group, command, "--connection", "garbage=;;", "--admin", "ed25519:hJnv-CA7IkcbaSnUvOhhRkpqZvnzJq6NrOhn7Y1i9io", "--urls", $"http://127.0.0.1:{FreePort()}", "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture)]
            : [group, command, "--connection", "garbage=;;", "--seconds", "5"];

        var result = await CommonsExecutable.RunAsync(scratch.PathOf("host"), "", args);

        BadInputAssert.OneSentence(result, "connection string", "--connection");
    }

    [Theory]
    [InlineData("--seconds")]
    [InlineData("--restart")]
    public async Task PoolBench_DatabaseUnreachable_OneSentenceBeforeAnySiloStarts(string mode)
    {
        using var scratch = new ScratchFolder();
        // Nothing listens on port 1: the database cannot be reached.
        var result = await CommonsExecutable.RunAsync(scratch.PathOf("host"), "",
            "pool", "bench", "--connection", "Host=127.0.0.1;Port=1;Username=postgres;Password=none;Database=postgres", mode, "5");

        BadInputAssert.OneSentence(result, "pool database", "127.0.0.1:1");
        Assert.True(result.StandardOutput.Trim().Length == 0, $"The bench announced work it could not do.\n{result}");
    }

    private static int FreePort() => PoolHost.FreePort();
}
