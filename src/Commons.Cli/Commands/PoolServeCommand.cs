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
        var advertise = new Option<string?>("--advertise") { Description = "IP address this silo listens on and other silos reach it at (default 127.0.0.1); beyond loopback it needs --tls-certificate." };
        var tlsCertificate = new Option<string?>("--tls-certificate") { Description = "The cluster's TLS certificate (PKCS#12, from `commons pool cluster-cert`): silo-to-silo traffic is mutual TLS with it." };
        var adminUrls = new Option<string?>("--admin-urls") { Description = "Admin-only address for the Prometheus endpoint (/metrics) and the Orleans Dashboard (/dashboard), e.g. http://127.0.0.1:5090; off when not given." };
        var k = new Option<int?>("--k") { Description = "Distinct members that must back a group before it is served (default 3)." };
        var policy = new Option<string?>("--policy") { Description = "The pool's own policy, signed with its admin key (`commons pool policy sign`); every arriving artifact is checked against it." };
        var policies = new Option<string?>("--policies") { Description = "The policies folder the pool policy was signed over (its redaction checks every arrival)." };
        var receiptKey = new Option<string?>("--receipt-key") { Description = "The receipt key file the pool policy names (signs erasure receipts)." };
        var config = new Option<string?>("--config") { Description = "A JSON file with Silo and Pool settings." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Diagnostic logs on standard error." };
        foreach (var option in new Option[] { connection, admin, urls, siloPort, advertise, tlsCertificate, adminUrls, k, policy, policies, receiptKey, config, verbose })
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
            Set("Silo:AdvertisedAddress", parse.GetValue(advertise));
            Set("Silo:TlsCertificate", parse.GetValue(tlsCertificate));
            Set("Silo:AdminUrls", parse.GetValue(adminUrls));
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
            Console.Out.WriteLine($"pool {silo.Pool.Name} serving on {silo.Url} (silo {silo.Silo.AdvertisedAddress}:{silo.Silo.SiloPort}{(silo.Silo.TlsCertificate is null ? "" : " mutual TLS")}, no gateway, cluster {silo.Silo.ClusterId}, k {silo.Pool.K}{(silo.AdminUrl is null ? "" : $"; metrics and dashboard on {silo.AdminUrl}")}); Ctrl-C stops it");
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
