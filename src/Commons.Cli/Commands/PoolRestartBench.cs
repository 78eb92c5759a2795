using System.Diagnostics;
using System.Globalization;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons pool bench --restart N</c>: what a topic's first call costs after a silo restart. One
/// silo takes N artifacts on one topic; a fresh silo on the same database then answers a query on it
/// (the topic activates and rebuilds its groups from its log and the recorded text placements). With
/// <c>--baseline</c>, a third silo does the same with the placements deleted: every text embedded
/// again, as before placements were recorded.
/// </summary>
internal static class PoolRestartBench
{
    private const string Topic = "bench.restart";

    public static async Task<int> RunAsync(string connectionString, int artifactCount, int textCount, bool baseline, CancellationToken cancellationToken)
    {
        using var admin = ContributorKey.Create();
        var run = $"bench-restart-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Environment.ProcessId}";
        var keys = Enumerable.Range(0, 50).Select(_ => ContributorKey.Create()).ToList();
        try
        {
            Console.Out.WriteLine($"signing {artifactCount} artifacts on {Topic} ({textCount} distinct texts, {keys.Count} members) ...");
            var artifacts = Presign(keys, artifactCount, textCount);
            var clock = Stopwatch.StartNew();
            await using (var first = await StartAsync(connectionString, run, admin, cancellationToken))
            {
                using var http = Http(first.Url);
                var clients = keys.Select(k => new PoolClient(http, k)).ToList();
                var invite = InviteToken.Create(admin, TimeSpan.FromHours(1), keys.Count, DateTimeOffset.UtcNow);
                foreach (var client in clients)
                {
                    await client.JoinAsync(invite, cancellationToken);
                }

                var next = -1;
                await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
                {
                    for (var i = Interlocked.Increment(ref next); i < artifacts.Length; i = Interlocked.Increment(ref next))
                    {
                        await clients[i % clients.Count].PublishAsync(artifacts[i], cancellationToken);
                    }
                }));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"published {artifacts.Length} in {clock.Elapsed.TotalSeconds:F1} s"));
                clock.Restart();
                await QueryUntilAnsweredAsync(clients[0], cancellationToken);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grouped (first query answered) {clock.Elapsed.TotalSeconds:F1} s later; stopping the silo"));
            }

            var withPlacements = await FirstQueryAfterRestartAsync(connectionString, run, admin, keys[1], cancellationToken);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first query after a restart, {artifactCount} artifacts: {withPlacements.TotalSeconds:F2} s (groups rebuilt from the log and the recorded placements)"));
            if (baseline)
            {
                await DeletePlacementsAsync(connectionString, run, cancellationToken);
                var reembedded = await FirstQueryAfterRestartAsync(connectionString, run, admin, keys[2], cancellationToken);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"baseline, placements deleted (every text embedded again): {reembedded.TotalSeconds:F2} s; placements make it {reembedded / withPlacements:F1}x faster"));
            }

            return 0;
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static async Task<TimeSpan> FirstQueryAfterRestartAsync(string connectionString, string run, ContributorKey admin, ContributorKey member, CancellationToken cancellationToken)
    {
        await using var silo = await StartAsync(connectionString, run, admin, cancellationToken);
        using var http = Http(silo.Url);
        var client = new PoolClient(http, member);
        var clock = Stopwatch.StartNew();
        var answer = await QueryUntilAnsweredAsync(client, cancellationToken);
        var elapsed = clock.Elapsed;
        if (answer.Count == 0)
        {
            throw new InvalidOperationException("The restarted silo served no group of the topic.");
        }

        return elapsed;
    }

    /// <summary>Queries as an agent does: a 503 (the topic still busy, past the silo's 10 s call timeout) is tried again.</summary>
    private static async Task<IReadOnlyList<Abstractions.Pools.PoolInsight>> QueryUntilAnsweredAsync(PoolClient client, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.QueryAsync(Topic, "a reminder for a recurring bill", 5, cancellationToken);
            }
            catch (PoolApiException ex) when (ex.Status == System.Net.HttpStatusCode.ServiceUnavailable && attempt < 600)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static async Task<Community.Hosting.CommunitySilo> StartAsync(string connectionString, string run, ContributorKey admin, CancellationToken cancellationToken)
    {
        var settings = PoolBenchSilo.Settings(connectionString, run, PoolBench.FreePort(), admin);
        settings["Pool:FreeReadsPerDay"] = "1000";
        return await Community.Hosting.CommunitySilo.StartAsync(settings, null, 
            l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error).AddFilter("Commons.Community.Grains.InsightPoolGrain", LogLevel.Information),
            cancellationToken);
    }

    private static HttpClient Http(Uri url) => new() { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };

    private static async Task DeletePlacementsAsync(string connectionString, string run, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PoolSchema.ForSilo(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM CommonsTopicTexts WHERE ServiceId = @service", connection);
        command.Parameters.AddWithValue("service", run);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static byte[][] Presign(List<ContributorKey> keys, int count, int textCount)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400);
        var artifacts = new byte[count][];
        Parallel.For(0, count, i =>
        {
            var text = i % textCount;
            var draft = new InsightDraft(InsightKind.Playbook, Topic,
                $"{PoolBench.Situations[text % PoolBench.Situations.Length]} case {text}", PoolBench.Advice[text % PoolBench.Advice.Length], null,
                new InsightEvidence(3 + (i % 5), 1, InsightEvidence.DiscreteLaplace, 1.0),
                new PolicyReference("bench", new string('a', 64)), start.AddSeconds(i), start.AddDays(30));
            artifacts[i] = InsightSigner.Sign(draft, keys[i % keys.Count]).ToUtf8Bytes();
        });
        return artifacts;
    }
}
