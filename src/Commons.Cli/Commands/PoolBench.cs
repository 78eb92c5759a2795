using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Commons.Abstractions.Hosting;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons pool bench</c>: one community silo on this machine under an open-loop load of signed
/// artifacts (a fixed rate, whatever the answers take) with queries at a fixed rate alongside; prints
/// the sustained accepted artifacts/s and the p50/p99 receipt and query latencies.
/// </summary>
internal static class PoolBench
{
    private static readonly string[] Topics = ["bench.calendar", "bench.mail", "bench.travel", "bench.shopping", "bench.notes", "bench.reminders", "bench.food", "bench.home"];
    internal static readonly string[] Situations =
    [
        "scheduling a meeting across time zones", "a reminder for a recurring bill", "planning travel with a tight connection",
        "answering a long email thread", "choosing a restaurant for a group", "organising shared notes after a call",
        "finding a free slot for a dentist visit", "preparing a weekly shopping list", "tracking a parcel that is late",
        "drafting a polite refusal to an invitation",
    ];

    internal static readonly string[] Advice =
    [
        "propose two concrete options rather than asking an open question", "confirm the time in both time zones",
        "set the reminder two days before the due date", "ask before sending anything on the person's behalf",
        "summarise the thread in three bullets first", "check the calendar for conflicts before proposing",
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Load benchmark of one community silo: sustained accepted artifacts/s, receipt p50/p99, query p99 at a concurrent query rate.");
        var connection = PoolServeCommand.ConnectionOption();
        var seconds = new Option<int>("--seconds") { Description = "Length of the measured window.", DefaultValueFactory = _ => 60 };
        var rate = new Option<int>("--rate") { Description = "Artifacts offered per second (open loop).", DefaultValueFactory = _ => 1000 };
        var queryRate = new Option<int>("--query-rate") { Description = "Queries per second alongside.", DefaultValueFactory = _ => 200 };
        var members = new Option<int>("--members") { Description = "Distinct member keys publishing.", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Seconds of the same load before the measured window, so that it measures the silo in its steady state (the JIT's tiering of a fresh process takes 20-30 s of load on 2 cores).",
            DefaultValueFactory = _ => 30,
        };
        var restart = new Option<int?>("--restart")
        {
            Description = "Instead of the load: publish this many artifacts to one topic, restart the silo, and time the topic's first query.",
        };
        var texts = new Option<int>("--texts") { Description = "Distinct texts among the --restart artifacts.", DefaultValueFactory = _ => 5000 };
        var baseline = new Option<bool>("--baseline")
        {
            Description = "Also measure the layout before the topic log table (segment grains, each append rewriting its segment) in the same run, alternating with the table; "
                + "with --restart: also time a restart with the recorded placements deleted (every text embedded again).",
        };
        foreach (var option in new Option[] { connection, seconds, rate, queryRate, members, warmup, restart, texts, baseline })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable("COMMONS_Silo__ConnectionString")
                ?? throw new CommonsException("--connection is required: a PostgreSQL database the benchmark may write to (it uses its own service id).");
            var restartCount = parse.GetValue(restart);
            if (restartCount is not null && (restartCount < 1 || parse.GetValue(texts) < 1))
            {
                throw new CommonsException("--restart and --texts must be at least 1.");
            }

            if (restartCount is null && (parse.GetValue(seconds) < 1 || parse.GetValue(rate) < 1 || parse.GetValue(queryRate) < 0 || parse.GetValue(members) < 3 || parse.GetValue(warmup) < 0))
            {
                throw new CommonsException("--seconds and --rate must be at least 1, --query-rate and --warmup at least 0 and --members at least 3.");
            }

            // The database first (reached, schema in place, as each silo's start does again): a bad --connection is
            // one sentence before anything says a silo is starting.
            await PoolSchema.ApplyAsync(connectionString, cancellationToken);
            return restartCount is { } count
                ? await PoolRestartBench.RunAsync(connectionString, count, Math.Min(parse.GetValue(texts), count), parse.GetValue(baseline), cancellationToken)
                : await RunAsync(connectionString, new BenchLoad(parse.GetValue(seconds), parse.GetValue(warmup), parse.GetValue(rate), parse.GetValue(queryRate), parse.GetValue(members)),
                    parse.GetValue(baseline), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string connectionString, BenchLoad load, bool baseline, CancellationToken cancellationToken)
    {
        using var admin = ContributorKey.Create();
        var keys = Enumerable.Range(0, load.Members).Select(_ => ContributorKey.Create()).ToList();
        var silos = new List<PoolBenchSilo>();
        try
        {
            // The baseline silo first: the JIT's first tiers then favour it, not the new path.
            foreach (var store in baseline ? ["segments", "table"] : new[] { "table" })
            {
                silos.Add(await PoolBenchSilo.StartAsync(connectionString, store, admin, keys, cancellationToken));
            }

            var total = (int)(load.Rate * (load.Seconds + load.Warmup) * 1.02) + 100;
            Console.Out.WriteLine($"signing {total} artifacts from {load.Members} members ...");
            var artifacts = Presign(keys, total);

            // With a baseline, each silo gets half the warm-up and three alternating thirds of the
            // measured window, so that what else the machine runs weighs on both alike; both silos
            // publish the same artifacts in the same order.
            var rounds = baseline ? 3 : 1;
            Console.Out.WriteLine($"warm-up {load.Warmup} s, then {load.Seconds} s at {load.Rate} artifacts/s and {load.QueryRate} queries/s (open loop){(baseline ? ", alternating between the two silos" : "")} ...");
            var next = new int[silos.Count];
            for (var i = 0; i < silos.Count; i++)
            {
                next[i] = (await LoadAsync(silos[i].Clients, artifacts, 0, load.Rate, load.QueryRate, load.Warmup / silos.Count, cancellationToken)).Next;
            }

            using var siloTimes = new SiloReceiptTimes();
            siloTimes.Take();
            var measured = silos.Select(_ => new List<(LoadResult Load, List<double> WritePath, TimeSpan Cpu)>()).ToList();
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < silos.Count; i++)
                {
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var window = await LoadAsync(silos[i].Clients, artifacts, next[i], load.Rate, load.QueryRate, Math.Max(1, load.Seconds / rounds), cancellationToken);
                    measured[i].Add((window, siloTimes.Take(), Process.GetCurrentProcess().TotalProcessorTime - cpuBefore));
                    next[i] = window.Next;
                }
            }

            var reports = silos.Select((s, i) => Report(s.LogStore, measured[i])).ToList();
            if (reports.Count == 2)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"table against segments, same run: sustained {reports[1].Sustained / reports[0].Sustained:F2}x, receipt p50 {reports[0].P50 / reports[1].P50:F2}x and p99 {reports[0].P99 / reports[1].P99:F2}x lower, write path p99 {reports[0].WriteP99 / reports[1].WriteP99:F2}x lower, cpu per request {reports[0].CpuPerRequest / reports[1].CpuPerRequest:F2}x lower"));
            }

            return 0;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static BenchReport Report(string store, List<(LoadResult Load, List<double> WritePath, TimeSpan Cpu)> windows)
    {
        var receipts = windows.SelectMany(w => w.Load.Receipts).ToList();
        var queries = windows.SelectMany(w => w.Load.Queries).ToList();
        var writePath = windows.SelectMany(w => w.WritePath).ToList();
        var elapsed = TimeSpan.FromTicks(windows.Sum(w => w.Load.Elapsed.Ticks));
        var cpu = TimeSpan.FromTicks(windows.Sum(w => w.Cpu.Ticks));
        var (offered, publishErrors, queryErrors) = (windows.Sum(w => w.Load.Offered), windows.Sum(w => w.Load.PublishErrors), windows.Sum(w => w.Load.QueryErrors));
        var report = new BenchReport(receipts.Count / elapsed.TotalSeconds, Percentile(receipts, 0.50), Percentile(receipts, 0.99), Percentile(writePath, 0.99),
            cpu.TotalMilliseconds / Math.Max(1, receipts.Count + queries.Count));
        Console.Out.WriteLine($"-- topic logs in {store}");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"artifacts: offered {offered} in {elapsed.TotalSeconds:F1} s, accepted {receipts.Count} ({report.Sustained:F0}/s sustained), failed {publishErrors}"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"receipt latency: p50 {report.P50:F1} ms, p99 {report.P99:F1} ms, max {Percentile(receipts, 1):F1} ms"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"of which the write path (topic queue, group commit to PostgreSQL): p50 {Percentile(writePath, 0.50):F1} ms, p99 {report.WriteP99:F1} ms; the rest is the request (HTTP, two signature checks, parsing, waiting for a thread)"));
        // What the machine's load does not change much: CPU time spent per artifact (this process
        // holds the silo and the load generator; PostgreSQL's share is its own process).
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu: {report.CpuPerRequest:F3} ms of this process per request ({cpu.TotalSeconds:F1} s over {receipts.Count} artifacts and {queries.Count} queries); load average {LoadAverage()}"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries: {queries.Count} answered ({queries.Count / elapsed.TotalSeconds:F0}/s), failed {queryErrors}; latency p50 {Percentile(queries, 0.50):F1} ms, p99 {Percentile(queries, 0.99):F1} ms"));
        return report;
    }

    private static byte[][] Presign(List<ContributorKey> keys, int count)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400);
        var artifacts = new byte[count][];
        Parallel.For(0, count, i =>
        {
            var random = new Random(i);
            var draft = new InsightDraft(InsightKind.Playbook, Topics[(i / 7) % Topics.Length],
                Situations[i % Situations.Length], Advice[(i / Situations.Length) % Advice.Length], null,
                new InsightEvidence(random.Next(0, 40), random.Next(0, 40), InsightEvidence.DiscreteLaplace, 1.0),
                new PolicyReference("bench", new string('a', 64)), start.AddSeconds(i), start.AddDays(30));
            artifacts[i] = InsightSigner.Sign(draft, keys[i % keys.Count]).ToUtf8Bytes();
        });
        return artifacts;
    }

    private static async Task<LoadResult> LoadAsync(List<PoolClient> clients, byte[][] artifacts, int first, int rate, int queryRate, int seconds, CancellationToken cancellationToken)
    {
        var receipts = new ConcurrentBag<double>();
        var queries = new ConcurrentBag<double>();
        int publishErrors = 0, queryErrors = 0, offered = 0, queried = 0;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var next = first;
        while (clock.Elapsed < duration)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * rate) - offered;
            for (var i = 0; i < due && next < artifacts.Length; i++, offered++)
            {
                var bytes = artifacts[next];
                var client = clients[next % clients.Count];
                next++;
                inFlight.Add(Timed(() => client.PublishAsync(bytes, cancellationToken), receipts, () => Interlocked.Increment(ref publishErrors)));
            }

            var queriesDue = (int)(clock.Elapsed.TotalSeconds * queryRate) - queried;
            for (var i = 0; i < queriesDue; i++, queried++)
            {
                var client = clients[(queried * 7) % clients.Count];
                var situation = Situations[queried % Situations.Length];
                inFlight.Add(Timed(() => client.QueryAsync(Topics[queried % Topics.Length], situation, 5, cancellationToken), queries, () => Interlocked.Increment(ref queryErrors)));
            }

            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(1, cancellationToken);
        }

        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed;
        return new LoadResult(next, offered, receipts.ToList(), queries.ToList(), publishErrors, queryErrors, elapsed);
    }

    private static async Task Timed<T>(Func<Task<T>> call, ConcurrentBag<double> latencies, Action failed)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
        {
            failed();
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record BenchReport(double Sustained, double P50, double P99, double WriteP99, double CpuPerRequest);

    private sealed record BenchLoad(int Seconds, int Warmup, int Rate, int QueryRate, int Members);

    private sealed record LoadResult(int Next, int Offered, List<double> Receipts, List<double> Queries, int PublishErrors, int QueryErrors, TimeSpan Elapsed);
}
