using System.Globalization;
using Commons.Insights;
using Commons.Probe;

// The hostile probe of issue 17, rerun against a running `commons pool serve` on 127.0.0.1. It starts
// nothing; eval/probe/run.sh starts the silo (and restarts it and PostgreSQL for the restart rows).
//   dotnet eval/Commons.Probe/bin/.../Commons.Probe.dll ROW --pool URL --admin-key FILE [options]
// ROW: key-id | holes | fresh-keys | flood | topics | fill | first-call | publish-gap
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

string Get(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

if (args.Length == 0 || !options.ContainsKey("--admin-key"))
{
    Console.Error.WriteLine("usage: Commons.Probe holes|fresh-keys|flood|topics|fill|first-call|publish-gap --pool URL --admin-key FILE [--pid N] [--admin-url URL] [--connection PG] ...");
    return 2;
}

using var admin = ContributorKeyFile.Read(Get("--admin-key", ""));
using var probe = new Probe(new Uri(Get("--pool", "http://127.0.0.1:5080")), admin);
Uri? adminUrl = options.TryGetValue("--admin-url", out var a) ? new Uri(a) : null;
int? pid = options.TryGetValue("--pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null;
switch (args[0])
{
    case "key-id":
        Console.Out.WriteLine(admin.KeyId);
        break;
    case "holes":
        await HoleRows.GatewayAsync(Int("--gateway-port", 30000), Int("--silo-port", 11111), Get("--cluster", "commons-pool"));
        await HoleRows.OversizeAsync(probe);
        await HoleRows.SignatureAsync(probe);
        await HoleRows.UnicodeAsync(probe);
        await HoleRows.ReplayAsync(probe);
        await HoleRows.FeedAsync(probe);
        break;
    case "fresh-keys":
        await FloodRows.FreshKeysAsync(probe, pid, adminUrl, Int("--seconds", 20), Int("--concurrency", 32));
        break;
    case "flood":
        await FloodRows.PublishFloodAsync(probe, Int("--seconds", 10), Int("--concurrency", 32));
        break;
    case "topics":
        await FloodRows.TopicsAsync(probe, Get("--connection", ""), Int("--attempts", 1200), Int("--members", 8));
        break;
    case "fill":
        await RestartRows.FillAsync(probe, Int("--artifacts", 20000), Int("--topics", 8), Int("--texts", 4000), Int("--members", 20), double.Parse(Get("--rate", "90"), CultureInfo.InvariantCulture));
        break;
    case "first-call":
        await RestartRows.FirstCallAsync(probe, Int("--topics", 8), long.Parse(Get("--since", "0"), CultureInfo.InvariantCulture), Get("--what", "a restart"));
        break;
    case "publish-gap":
        await RestartRows.PublishGapAsync(probe, Int("--seconds", 25));
        break;
    default:
        Console.Error.WriteLine($"unknown row {args[0]}");
        return 2;
}

return 0;
