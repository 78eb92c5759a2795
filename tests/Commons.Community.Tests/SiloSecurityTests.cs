using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Commons.Community.Tests;

/// <summary>
/// What the silo ports let in: no gateway for Orleans clients (members use HTTP, where signatures and
/// invites are checked), and between silos only mutual TLS with the cluster's certificate once a silo
/// listens beyond loopback.
/// </summary>
public sealed class SiloSecurityTests : ServeProcessTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("commons-tls-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [PostgresFact]
    public async Task PlainOrleansClient_AgainstPoolServe_FindsNoGatewayAndTheSiloPortRefusesIt()
    {
        await using var serve = await ServeProcess.StartAsync(Database, Admin.KeyId);

        // As the probe did: a client that reads the cluster's membership table for gateways...
        var viaTable = await ConnectAsync(c => c.UseAdoNetClustering(o =>
        {
            o.Invariant = PoolSchema.Invariant;
            o.ConnectionString = Database;
        }));
        // ...and one pointed straight at the only Orleans port the silo has.
        var viaSiloPort = await ConnectAsync(c => c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, SiloPortOf(serve))));

        Assert.NotNull(viaTable);
        Assert.NotNull(viaSiloPort);
        using var http = new HttpClient { BaseAddress = serve.Url };
        Assert.Equal("ok", await http.GetStringAsync(PoolWire.Health));
    }

    [PostgresFact]
    public async Task Serve_BeyondLoopbackWithoutCertificate_RefusesToStartWithOneSentence()
    {
        var (exit, stdout, stderr) = await RunCommonsAsync("pool", "serve", "--connection", Database, "--admin", Admin.KeyId,
            "--urls", $"http://127.0.0.1:{Ports.Free()}", "--silo-port", Ports.Free().ToString(CultureInfo.InvariantCulture), "--advertise", "10.0.0.5");

        Assert.Equal(2, exit);
        Assert.DoesNotContain("serving on", stdout, StringComparison.Ordinal);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("beyond loopback", line, StringComparison.Ordinal);
        Assert.Contains("--tls-certificate", line, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task TwoSilosWithTheClusterCertificate_FormOneCluster_AndAPlainClientCannotTalkToEither()
    {
        var certificate = Path.Combine(_folder, "cluster.pfx");
        var (exit, _, stderr) = await RunCommonsAsync("pool", "cluster-cert", "--out", certificate);
        Assert.True(exit == 0, stderr);
        var address = NonLoopbackAddress();

        await using var a = await ServeProcess.StartAsync(Database, Admin.KeyId, "--advertise", address, "--tls-certificate", certificate);
        await using var b = await ServeProcess.StartAsync(Database, Admin.KeyId, "--advertise", address, "--tls-certificate", certificate);
        var (viaA, keyA) = await MemberAsync(a.Url);
        var (viaB, keyB) = await MemberAsync(b.Url);
        await AsAnAgentAsync(() => viaA.PublishAsync(Artifacts.Sign(keyA, "home.energy", "heating left on while away", "turn the thermostat down before leaving")));
        await AsAnAgentAsync(() => viaB.PublishAsync(Artifacts.Sign(keyB, "home.energy", "heating left on while away", "turn the thermostat down before leaving")));
        var fromB = await AsAnAgentAsync(() => viaB.QueryAsync("home.energy", "leaving the heating on"));
        var plain = await ConnectAsync(c => c.UseStaticClustering(new IPEndPoint(IPAddress.Parse(address), SiloPortOf(a))));

        Assert.Equal(2, Assert.Single(fromB).Contributors);
        Assert.Contains("mutual TLS", a.Output, StringComparison.Ordinal);
        Assert.NotNull(plain);
    }

    /// <summary>
    /// Starts a plain Orleans client of the pool's cluster; returns why it could not connect (null if it
    /// did). A gateway on this machine answers within a second or two: a client still trying after
    /// 20 s (it retries while it finds no gateway) has not got in.
    /// </summary>
    private static async Task<Exception?> ConnectAsync(Action<IClientBuilder> clustering)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(c =>
        {
            clustering(c);
            c.Configure<ClusterOptions>(o => o.ClusterId = o.ServiceId = "commons-pool");
        });
        using var host = builder.Build();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await host.StartAsync(patience.Token);
            // Connected: this is the call the probe made before making itself a member.
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<IContributorGrain>("ed25519:probe").GetReputationAsync(new StandingPolicy(0.5, 0.9));
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static int SiloPortOf(ServeProcess serve)
    {
        var match = System.Text.RegularExpressions.Regex.Match(serve.Output, @"silo [0-9.]+:(\d+)");
        Assert.True(match.Success, serve.Output);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>An address of this machine beyond loopback, so that the TLS path is the one a real deployment takes.</summary>
    private static string NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
        ?? throw new InvalidOperationException("This machine has no IPv4 address beyond loopback to test TLS between silos on.");

    private async Task<(int Exit, string Stdout, string Stderr)> RunCommonsAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "commons.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["COMMONS_HOME"] = Path.Combine(_folder, "home");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, await stdout, await stderr);
    }
}
