using System.CommandLine;
using System.Globalization;
using Commons.Community.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Cli.Commands;

/// <summary><c>commons pool serve</c>: runs a community silo (Orleans on PostgreSQL) with the pool HTTP API.</summary>
internal static class PoolServeCommand
{
    public static Command Create()
    {
        var serve = new Command("serve", "Run a community silo: joins the pool's cluster on PostgreSQL and serves the pool HTTP API until stopped.");
        var connection = ConnectionOption();
        var admin = new Option<string?>("--admin") { Description = "The pool's admin key id (ed25519:..., from `commons pool keygen`); or Pool:AdminKey in the config." };
        var urls = new Option<string?>("--urls") { Description = "HTTP address of the pool API (default http://127.0.0.1:5080)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "Orleans silo-to-silo port (default 11111)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Orleans gateway port (default 30000)." };
        var k = new Option<int?>("--k") { Description = "Distinct members that must back a group before it is served (default 3)." };
        var policy = new Option<string?>("--policy") { Description = "The pool's own policy, signed with its admin key (`commons pool policy sign`); every arriving artifact is checked against it." };
        var policies = new Option<string?>("--policies") { Description = "The policies folder the pool policy was signed over (its redaction checks every arrival)." };
        var receiptKey = new Option<string?>("--receipt-key") { Description = "The receipt key file the pool policy names (signs erasure receipts)." };
        var config = new Option<string?>("--config") { Description = "A JSON file with Silo and Pool settings." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Diagnostic logs on standard error." };
        foreach (var option in new Option[] { connection, admin, urls, siloPort, gatewayPort, k, policy, policies, receiptKey, config, verbose })
        {
            serve.Options.Add(option);
        }

        serve.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            void Set(string key, string? value)
            {
                if (value is not null)
                {
                    settings[key] = value;
                }
            }

            Set("Silo:ConnectionString", parse.GetValue(connection));
            Set("Pool:AdminKey", parse.GetValue(admin));
            Set("Silo:Urls", parse.GetValue(urls));
            Set("Silo:SiloPort", parse.GetValue(siloPort)?.ToString(CultureInfo.InvariantCulture));
            Set("Silo:GatewayPort", parse.GetValue(gatewayPort)?.ToString(CultureInfo.InvariantCulture));
            Set("Pool:K", parse.GetValue(k)?.ToString(CultureInfo.InvariantCulture));
            Set("Governance:PolicyFile", parse.GetValue(policy) is { } p ? Path.GetFullPath(p) : null);
            Set("Governance:Policies", parse.GetValue(policies) is { } f ? Path.GetFullPath(f) : null);
            Set("Governance:ReceiptKeyFile", parse.GetValue(receiptKey) is { } r ? KeyLocation.ForReading(r, Commons.Abstractions.Hosting.CommonsHome.FromEnvironment()) : null);
            var level = parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning;
            await using var silo = await CommunitySilo.StartAsync(settings, parse.GetValue(config),
                logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level)
                    .AddFilter("Orleans", parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Error)
                    .AddFilter("Microsoft", LogLevel.Warning),
                cancellationToken);
            Console.Out.WriteLine($"pool {silo.Pool.Name} serving on {silo.Url} (silo {silo.Silo.AdvertisedAddress}:{silo.Silo.SiloPort}, cluster {silo.Silo.ClusterId}, k {silo.Pool.K}); Ctrl-C stops it");
            await Console.Out.FlushAsync(cancellationToken);
            await silo.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return serve;
    }

    /// <summary>The <c>--connection</c> option: the pool's PostgreSQL database.</summary>
    public static Option<string?> ConnectionOption() => new("--connection")
    {
        Description = "Npgsql connection string of the pool's PostgreSQL database (or COMMONS_Silo__ConnectionString).",
    };
}
