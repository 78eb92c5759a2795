using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Commons.Insights;
using Commons.Pools.Client;
using Npgsql;

namespace Commons.Probe;

/// <summary>The floods, each bounded in seconds: fresh keys, publishing, junk credit, new topics.</summary>
internal static partial class FloodRows
{
    /// <summary>
    /// Requests from fresh keys (never members: <c>/v1/members/me</c> and a refused query) for
    /// <paramref name="seconds"/>; the silo's resident memory and grain activations before, just after, and 15 s later.
    /// </summary>
    public static async Task FreshKeysAsync(Probe probe, int? pid, Uri? admin, int seconds, int concurrency)
    {
        var before = await SiloAsync(pid, admin);
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var n = 0;
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                using var key = ContributorKey.Create();
                var status = n++ % 2 == 0
                    ? await probe.StatusAsync(key, HttpMethod.Get, PoolWire.Me, [])
                    : await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Query, Probe.Query("probe.fresh", "the heating"));
                statuses.Add(status);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var just = await SiloAsync(pid, admin);
        await Task.Delay(TimeSpan.FromSeconds(15));
        var later = await SiloAsync(pid, admin);
        Report.Row("requests from fresh keys",
            string.Create(CultureInfo.InvariantCulture, $"{statuses.Count:N0} requests in {elapsed:F0} s ({statuses.Count / elapsed:F0}/s; {Probe.Tally(statuses)}); silo {before} → {just} → 15 s later {later}"),
            Activations(just) <= Activations(before) + 5);
    }

    /// <summary>One member publishes distinct artifacts as fast as it can; then the credit it earned.</summary>
    public static async Task PublishFloodAsync(Probe probe, int seconds, int concurrency)
    {
        var (key, client) = await probe.MemberAsync();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var stop = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                var i = Interlocked.Increment(ref next);
                statuses.Add(await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
                    Probe.Artifact(key, "probe.flood", string.Create(CultureInfo.InvariantCulture, $"junk situation number {i}"), $"junk advice {i}")));
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var me = await client.GetMeAsync();
        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Report.Row("publish flood by one member, and the credit it earns",
            string.Create(CultureInfo.InvariantCulture, $"{statuses.Count:N0} distinct artifacts offered in {elapsed:F1} s: {Probe.Tally(statuses)} ({accepted / elapsed:F0} accepted/s); credit earned {me.CreditEarned}"),
            me.CreditEarned == 0 && accepted / elapsed < 150);

        var (junk, viaJunk) = await probe.MemberAsync();
        for (var i = 0; i < 10; i++)
        {
            await viaJunk.PublishAsync(Probe.Artifact(junk, $"probe.junk{i}", $"junk {i} {Guid.NewGuid():N}", "junk"));
        }

        var reads = 0;
        while (reads < 200 && await probe.StatusAsync(junk, HttpMethod.Post, PoolWire.Query, Probe.Query("probe.junk0", "junk")) is var status && status != HttpStatusCode.PaymentRequired)
        {
            reads += status == HttpStatusCode.OK ? 1 : 0;
            if (status == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(200);
            }
        }

        var allowance = (await viaJunk.GetMeAsync()).CreditEarned;
        Report.Row("10 junk artifacts in 10 junk topics buy queries",
            $"queries answered before 402: {reads} (credit earned {allowance})", allowance == 0 && reads <= 20);
    }

    /// <summary>
    /// Members make new topics until the pool refuses (the cap) or <paramref name="attempts"/> are made; the
    /// directory's rows and the database's size before and after, and the new-topic rate early and late.
    /// </summary>
    public static async Task TopicsAsync(Probe probe, string connection, int attempts, int members)
    {
        var (rowsBefore, sizeBefore) = await DatabaseAsync(connection);
        var keys = new List<ContributorKey>();
        for (var m = 0; m < members; m++)
        {
            keys.Add((await probe.MemberAsync()).Key);
        }

        var results = new ConcurrentBag<(HttpStatusCode Status, double At)>();
        var stop = Stopwatch.StartNew();
        var next = -1;
        var run = Guid.NewGuid().ToString("N")[..6];
        await Task.WhenAll(keys.Select(async key =>
        {
            while (Interlocked.Increment(ref next) is var i && i < attempts)
            {
                var status = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
                    Probe.Artifact(key, string.Create(CultureInfo.InvariantCulture, $"probe.t{run}.n{i}"), "a situation for a new topic", "some advice"));
                results.Add((status, stop.Elapsed.TotalSeconds));
                if (status == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Decrement(ref next);
                    await Task.Delay(100);
                }
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var (rowsAfter, sizeAfter) = await DatabaseAsync(connection);
        var made = results.Where(r => r.Status == HttpStatusCode.OK).OrderBy(r => r.At).ToList();
        var tenth = Math.Max(1, made.Count / 10);
        var early = made.Count > 1 ? tenth / Math.Max(0.001, made[tenth - 1].At - made[0].At + 0.001) : 0;
        var late = made.Count > 1 ? tenth / Math.Max(0.001, made[^1].At - made[^tenth].At + 0.001) : 0;
        Report.Row("many new topics from a few members",
            string.Create(CultureInfo.InvariantCulture,
                $"{results.Count:N0} attempts by {members} members in {elapsed:F1} s: {Probe.Tally(results.Select(r => r.Status))}; new-topic rate first/last tenth {early:F0}/s → {late:F0}/s; directory rows {rowsBefore:N0} → {rowsAfter:N0}; database {sizeBefore / 1e6:F1} → {sizeAfter / 1e6:F1} MB"),
            results.Any(r => r.Status == HttpStatusCode.Conflict) || made.Count < attempts);
    }

    private static async Task<(long Rows, long Bytes)> DatabaseAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM CommonsTopics), pg_database_size(current_database())", db);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The silo's resident memory (from /proc) and grain activations (from its Prometheus endpoint).</summary>
    private static async Task<string> SiloAsync(int? pid, Uri? admin)
    {
        var rss = "RSS ?";
        if (pid is { } p && File.Exists($"/proc/{p}/status"))
        {
            var line = (await File.ReadAllLinesAsync($"/proc/{p}/status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rss = string.Create(CultureInfo.InvariantCulture, $"RSS {long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024} MB");
        }

        if (admin is null)
        {
            return rss;
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(admin, "/metrics"));
        var activations = ActivationLine().Matches(metrics).Sum(m => double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture));
        return string.Create(CultureInfo.InvariantCulture, $"{rss}, {activations:F0} activations");
    }

    private static double Activations(string silo) =>
        Regex.Match(silo, @"(\d+) activations") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^orleans_catalog_activations(\{[^}]*\})? (?<v>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex ActivationLine();
}
