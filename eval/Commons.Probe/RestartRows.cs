using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Probe;

/// <summary>
/// The restart rows. The probe restarts nothing: <c>eval/probe/run.sh</c> stops and starts the silo
/// and PostgreSQL between these steps.
/// </summary>
internal static class RestartRows
{
    public static string Topic(int t) => string.Create(CultureInfo.InvariantCulture, $"probe.restart{t}");

    /// <summary>
    /// <paramref name="members"/> members publish <paramref name="artifacts"/> artifacts over <paramref name="topics"/>
    /// topics (<paramref name="texts"/> distinct situations in all, each said by several members), each member
    /// within its publish rate.
    /// </summary>
    public static async Task FillAsync(Probe probe, int artifacts, int topics, int texts, int members, double perMemberPerSecond)
    {
        var keys = new List<ContributorKey>();
        for (var m = 0; m < members; m++)
        {
            keys.Add((await probe.MemberAsync()).Key);
        }

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var stop = Stopwatch.StartNew();
        var perMember = artifacts / members;
        await Task.WhenAll(keys.Select(async (key, m) =>
        {
            var interval = TimeSpan.FromSeconds(1 / perMemberPerSecond);
            var due = Stopwatch.GetTimestamp();
            for (var i = 0; i < perMember; i++)
            {
                // Member m says text (m * perMember + i) mod texts: each text is said by about artifacts/texts members.
                var text = ((m * perMember) + i) % texts;
                var topic = Topic(text % topics);
                var status = await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
                    Probe.Artifact(key, topic, string.Create(CultureInfo.InvariantCulture, $"situation {text}: the heating stays on in room {text}"),
                        string.Create(CultureInfo.InvariantCulture, $"turn the thermostat in room {text} down")));
                statuses.Add(status);
                if (status == HttpStatusCode.TooManyRequests)
                {
                    i--;
                    await Task.Delay(500);
                }

                due += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (due > Stopwatch.GetTimestamp())
                {
                    await Task.Delay(wait);
                }
            }
        }));
        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Report.Figure("fill", string.Create(CultureInfo.InvariantCulture,
            $"{accepted:N0} artifacts ({texts:N0} distinct situations) in {topics} topics by {members} members in {stop.Elapsed.TotalSeconds:F1} s ({accepted / stop.Elapsed.TotalSeconds:F0}/s; {Probe.Tally(statuses)})"));
    }

    /// <summary>
    /// After a restart: how long after <paramref name="since"/> (unix ms, when the silo process was started)
    /// the silo answers /healthz, and each topic answers its first query and takes its first publish.
    /// </summary>
    public static async Task FirstCallAsync(Probe probe, int topics, long since, string what)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(since);
        double Elapsed() => (DateTimeOffset.UtcNow - start).TotalSeconds;
        while (true)
        {
            try
            {
                using var health = await probe.Http.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        var healthy = Elapsed();
        var unavailable = 0;
        var spent = 0;
        var firstQuery = new ConcurrentBag<double>();
        var firstPublish = new ConcurrentBag<double>();
        var regrouped = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, topics).Select(async t =>
        {
            // A member per topic; one whose free reads ran out (402) is replaced by a new one.
            var (key, _) = await probe.MemberAsync();
            var read = false;
            var written = false;
            while (!read || !written)
            {
                if (Elapsed() > 600)
                {
                    throw new TimeoutException($"topic {Topic(t)} did not answer within 600 s");
                }

                if (!read)
                {
                    var status = await probe.TryStatusAsync(key, HttpMethod.Post, PoolWire.Query, Probe.Query(Topic(t), "the heating stays on"));
                    read = status == HttpStatusCode.OK;
                    if (read)
                    {
                        firstQuery.Add(Elapsed());
                    }
                    else if (status == HttpStatusCode.PaymentRequired)
                    {
                        Interlocked.Increment(ref spent);
                        (key, _) = await probe.MemberAsync();
                    }
                    else if (status != HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref unavailable);
                    }
                }

                if (!written)
                {
                    var status = await probe.TryStatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
                        Probe.Artifact(key, Topic(t), $"after the restart {Guid.NewGuid():N}", "turn the thermostat down"));
                    written = status == HttpStatusCode.OK;
                    if (written)
                    {
                        firstPublish.Add(Elapsed());
                    }
                    else if (status != HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref unavailable);
                    }
                }

                if (!read || !written)
                {
                    await Task.Delay(200);
                }
            }

            // Fully regrouped: a withdrawal check (which waits for every group to be whole again) answers.
            while (await probe.TryStatusAsync(key, HttpMethod.Post, PoolWire.Withdrawn, Probe.Withdrawn(Topic(t))) != HttpStatusCode.OK)
            {
                if (Elapsed() > 600)
                {
                    throw new TimeoutException($"topic {Topic(t)} was not regrouped within 600 s");
                }

                await Task.Delay(200);
            }

            regrouped.Add(Elapsed());
        }));
        Report.Figure($"first call after {what}", string.Create(CultureInfo.InvariantCulture,
            $"healthy {healthy:F1} s after start; every topic's first query answered by {firstQuery.Max():F1} s (first {firstQuery.Min():F1} s), first publish by {firstPublish.Max():F1} s; every topic fully regrouped by {regrouped.Max():F1} s; {unavailable} attempts answered 5xx on the way, {spent} members' free reads used up by them"));
    }

    /// <summary>
    /// One member publishes steadily for <paramref name="seconds"/> while run.sh restarts PostgreSQL; the longest
    /// stretch with no publish succeeding, and the publishes that failed.
    /// </summary>
    public static async Task PublishGapAsync(Probe probe, int seconds)
    {
        var (key, _) = await probe.MemberAsync();
        var statuses = new List<string>();
        var last = Stopwatch.StartNew();
        var longest = TimeSpan.Zero;
        var stop = Stopwatch.StartNew();
        var i = 0;
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            string status;
            try
            {
                status = ((int)await probe.StatusAsync(key, HttpMethod.Post, PoolWire.Artifacts,
                    Probe.Artifact(key, Topic(i++ % 8), $"steady publish {Guid.NewGuid():N}", "turn the thermostat down"))).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException e)
            {
                status = e.HttpRequestError.ToString();
            }
            catch (TaskCanceledException)
            {
                status = "timeout";
            }

            statuses.Add(status);
            if (status == "200")
            {
                longest = last.Elapsed > longest ? last.Elapsed : longest;
                last.Restart();
            }

            await Task.Delay(50);
        }

        Report.Figure("publishing through a PostgreSQL restart", string.Create(CultureInfo.InvariantCulture,
            $"longest stretch with no publish succeeding {longest.TotalSeconds:F1} s; answers {string.Join(" ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}"));
    }
}
