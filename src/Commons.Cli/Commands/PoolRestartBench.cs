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
/// silo takes N artifacts on one topic and stops as soon as the last is received, while its grouping
/// may lag (bounded by Pool:MaxUngroupedTexts); a fresh silo on the same database answers a query on
/// the topic (within Pool:GroupingWaitSeconds of its log being read) and regroups what the first had
/// not; a third restarts once all was grouped. With <c>--baseline</c>, a fourth does the same with the
/// recorded placements deleted: every text embedded again, as before placements were recorded.
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
            var busy = 0;
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
                        // As an agent does: "try again" (grouping owes too many new texts) is sent again.
                        while (true)
                        {
                            try
                            {
                                await clients[i % clients.Count].PublishAsync(artifacts[i], cancellationToken);
                                break;
                            }
                            catch (PoolApiException ex) when (ex.Status == System.Net.HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromMinutes(30))
                            {
                                Interlocked.Increment(ref busy);
                                await Task.Delay(200, cancellationToken);
                            }
                        }
                    }
                }));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"published {artifacts.Length} in {clock.Elapsed.TotalSeconds:F1} s ({busy} answers of 'try again' while grouping owed Pool:MaxUngroupedTexts new texts, each sent again); stopping the silo at once"));
            }

            Console.Out.WriteLine($"texts with a recorded placement when the silo stopped: {await CountPlacementsAsync(connectionString, run, cancellationToken)} of {textCount}");
            var lagged = await RestartAsync(connectionString, run, admin, keys[1], cancellationToken);
            Report("a restart after a stop while grouping lagged", lagged);
            var caughtUp = await RestartAsync(connectionString, run, admin, keys[2], cancellationToken);
            Report("a restart after grouping caught up", caughtUp);
            if (baseline)
            {
                await DeletePlacementsAsync(connectionString, run, cancellationToken);
                var reembedded = await RestartAsync(connectionString, run, admin, keys[3], cancellationToken);
                Report("baseline, placements deleted (every text embedded again)", reembedded);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"recorded placements make a full regrouping {reembedded.Regrouped / caughtUp.Regrouped:F1}x faster"));
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

    private static void Report(string what, Restart times) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: first query answered in {times.FirstQuery.TotalSeconds:F2} s ({times.FirstAnswers} groups), topic fully regrouped in {times.Regrouped.TotalSeconds:F2} s (then {times.Answers} groups)"));

    private sealed record Restart(TimeSpan FirstQuery, int FirstAnswers, TimeSpan Regrouped, int Answers);

    /// <summary>
    /// A fresh silo on the same database: how long the topic's first query takes (it activates, reads
    /// its log and answers from what it has grouped within Pool:GroupingWaitSeconds), and how long until
    /// the whole log is regrouped (withdrawal checks stop answering "try again"); then it stops.
    /// </summary>
    private static async Task<Restart> RestartAsync(string connectionString, string run, ContributorKey admin, ContributorKey member, CancellationToken cancellationToken)
    {
        await using var silo = await StartAsync(connectionString, run, admin, cancellationToken);
        using var http = Http(silo.Url);
        var client = new PoolClient(http, member);
        var clock = Stopwatch.StartNew();
        var first = await QueryUntilAnsweredAsync(client, cancellationToken);
        var firstQuery = clock.Elapsed;
        while (true)
        {
            try
            {
                await client.WithdrawnAsync(Topic, ["g-bench"], cancellationToken);
                break;
            }
            catch (PoolApiException ex) when (ex.Status == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        var regrouped = clock.Elapsed;
        var answer = await QueryUntilAnsweredAsync(client, cancellationToken);
        if (answer.Count == 0)
        {
            throw new InvalidOperationException("The restarted silo served no group of the topic.");
        }

        return new Restart(firstQuery, first.Count, regrouped, answer.Count);
    }

    /// <summary>Queries as an agent does: a 503 (the topic still busy, past the silo's call timeout) is tried again.</summary>
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

    private static async Task<long> CountPlacementsAsync(string connectionString, string run, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PoolSchema.ForSilo(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM CommonsTopicTexts WHERE ServiceId = @service", connection);
        command.Parameters.AddWithValue("service", run);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

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
            // New texts keep coming to the end (each text's artifacts one after another, from different
            // members), so that grouping may still owe some when the silo stops.
            var text = (int)((long)i * textCount / count);
            var draft = new InsightDraft(InsightKind.Playbook, Topic,
                $"{PoolBench.Situations[text % PoolBench.Situations.Length]} case {text}", PoolBench.Advice[text % PoolBench.Advice.Length], null,
                new InsightEvidence(3 + (i % 5), 1, InsightEvidence.DiscreteLaplace, 1.0),
                new PolicyReference("bench", new string('a', 64)), start.AddSeconds(i), start.AddDays(30));
            artifacts[i] = InsightSigner.Sign(draft, keys[i % keys.Count]).ToUtf8Bytes();
        });
        return artifacts;
    }
}
