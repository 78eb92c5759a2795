using System.Collections.Concurrent;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>Two <c>commons pool serve</c> processes on one PostgreSQL database form one cluster.</summary>
public sealed class ClusterTests : ServeProcessTests
{
    [PostgresFact]
    public async Task TwoServeProcesses_PublishedThroughEither_QueriedThroughTheOther()
    {
        await using var a = await ServeProcess.StartAsync(Database, Admin.KeyId);
        await using var b = await ServeProcess.StartAsync(Database, Admin.KeyId);
        var (viaA, keyA) = await MemberAsync(a.Url);
        var (viaB, keyB) = await MemberAsync(b.Url);

        await viaA.PublishAsync(Artifacts.Sign(keyA, "home.energy", "heating left on while away", "turn the thermostat down before leaving"));
        await viaB.PublishAsync(Artifacts.Sign(keyB, "home.energy", "heating left on while away", "turn the thermostat down before leaving"));
        await viaB.PublishAsync(Artifacts.Sign(keyB, "home.garden", "watering during a heat wave", "water early in the morning"));

        var fromA = await viaA.QueryAsync("home.energy", "leaving the heating on");
        var (peerViaA, _) = await MemberAsync(a.Url, peer: true);
        var feedFromA = await peerViaA.ReadFeedAsync("home.garden", 0, 10);
        var fromB = await viaB.QueryAsync("home.energy", "leaving the heating on");

        Assert.Equal(2, Assert.Single(fromA).Contributors);
        Assert.Equal(2, Assert.Single(fromB).Contributors);
        Assert.Single(feedFromA.Items);
    }

    [PostgresFact]
    public async Task SigkillOneSilo_DuringPublishing_EveryReceiptedArtifactIsPresentOnce()
    {
        var a = await ServeProcess.StartAsync(Database, Admin.KeyId);
        await using var b = await ServeProcess.StartAsync(Database, Admin.KeyId);
        const int workers = 8;
        const int perWorker = 60;
        string[] topics = ["fault.alpha", "fault.beta", "fault.gamma", "fault.delta"];
        var members = new List<(PoolClient ViaA, PoolClient ViaB, ContributorKey Key)>();
        for (var i = 0; i < workers; i++)
        {
            var (viaB, key) = await MemberAsync(b.Url);
            members.Add((ClientFor(a.Url, key), viaB, key));
        }

        var receipts = new ConcurrentDictionary<string, PublishReceipt>();
        var killed = new TaskCompletionSource();
        var published = 0;
        var load = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var (viaA, viaB, key) = members[w];
            for (var i = 0; i < perWorker; i++)
            {
                var artifact = Artifacts.Sign(key, topics[i % topics.Length], $"situation {i % 7}", $"advice {i % 5}", successes: i, second: i);
                // An agent retries until it holds a receipt, switching silo when one stops answering.
                for (var attempt = 0; ; attempt++)
                {
                    var client = (attempt + i) % 2 == 0 ? viaA : viaB;
                    try
                    {
                        receipts[artifact.Id] = await client.PublishAsync(artifact);
                        break;
                    }
                    catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException && attempt < 200)
                    {
                        await Task.Delay(100);
                    }
                }

                if (Interlocked.Increment(ref published) == workers * perWorker / 3)
                {
                    killed.TrySetResult();
                }
            }
        })).ToList();

        await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        a.Kill();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(3));
        await a.DisposeAsync();

        // Until the cluster declares the killed silo dead, calls to grains it hosted time out with a
        // 503; an agent tries again (with a fresh invite, as the join may have been what timed out).
        var (reader, _) = await AsAnAgentAsync(() => MemberAsync(b.Url, peer: true));
        var present = new List<string>();
        foreach (var topic in topics)
        {
            var feed = await AsAnAgentAsync(() => reader.ReadFeedAsync(topic, 0, 1000));
            Assert.False(feed.HasMore);
            present.AddRange(feed.Items.Select(i => InsightArtifactParser.Parse(i.Json).Artifact!.Id));
        }

        Assert.Equal(workers * perWorker, receipts.Count);
        Assert.Equal(present.Count, present.Distinct().Count());
        Assert.Empty(receipts.Keys.Except(present));
    }
}
