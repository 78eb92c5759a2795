using Commons.Abstractions.Pools;
using Commons.Community.Pooling;
using Commons.Insights;
using Commons.Pools.Client;
using Npgsql;

namespace Commons.Community.Tests;

/// <summary>The topics' logs in PostgreSQL: group commit across topics, and pools whose logs were in segment grains.</summary>
public sealed class TopicLogTests
{
    [PostgresFact]
    public async Task Append_ManyTopicsAtOnce_AllDurableInOrder_ATakenPositionFailsOnlyItsTopic()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var log = new PostgresTopicLog(database, "log-test", writers: 2);
            await using (log)
            {
                // 40 topics appending 5 batches each, every one waiting on the others' commits.
                await Task.WhenAll(Enumerable.Range(0, 40).Select(async t =>
                {
                    for (var batch = 0; batch < 5; batch++)
                    {
                        await log.AppendAsync($"topic.{t}", Enumerable.Range(batch * 3 + 1, 3).Select(s => Stored(s, $"{t}:{s}")).ToList());
                    }
                }));

                // Position 2 of topic.0 is taken: that append fails, a fresh topic's in the same commit does not.
                var taken = log.AppendAsync("topic.0", [Stored(2, "again")]);
                var fresh = log.AppendAsync("topic.fresh", [Stored(1, "fresh:1")]);
                await Assert.ThrowsAsync<PostgresException>(() => taken);
                await fresh;

                for (var t = 0; t < 40; t++)
                {
                    var items = await log.ReadAsync($"topic.{t}", 0, 100);
                    Assert.Equal(Enumerable.Range(1, 15).Select(s => $"{t}:{s}"), items.Select(i => i.Json));
                    Assert.Equal(Enumerable.Range(1, 15).Select(s => (long)s), items.Select(i => i.Sequence));
                }

                Assert.Equal(["fresh:1"], (await log.ReadAsync("topic.fresh", 0, 10)).Select(i => i.Json));
                Assert.Equal([11L, 12L], (await log.ReadAsync("topic.3", 10, 2)).Select(i => i.Sequence));
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [PostgresFact]
    public async Task Upgrade_APoolWhoseLogsWereInSegmentGrains_ServesTheSameGroupsAndKnowsEveryArtifact()
    {
        var segments = new Dictionary<string, string?> { ["Pool:K"] = "2", ["Pool:LogStore"] = "segments" };
        await using var pool = await TestPool.StartAsync(segments);
        var published = new List<(ContributorKey Key, InsightArtifact Artifact, PublishReceipt Receipt)>();
        string[] situations = ["heating left on while away", "a parcel that is late"];
        for (var m = 0; m < 3; m++)
        {
            var (client, key) = await pool.MemberAsync();
            for (var t = 0; t < situations.Length; t++)
            {
                var artifact = Artifacts.Sign(key, "upgrade.log", situations[t], "say what you did first", second: m * 10 + t);
                published.Add((key, artifact, await client.PublishAsync(artifact)));
            }
        }

        var (reader, readerKey) = await pool.MemberAsync();
        var servedBefore = await reader.DigestAsync("upgrade.log");
        await pool.Silo.DisposeAsync();

        // The database as it was before the topic log table: its copy of the segments not yet made.
        await using (var connection = new NpgsqlConnection(pool.Database))
        {
            await connection.OpenAsync();
            await using var reset = new NpgsqlCommand("DELETE FROM CommonsTopicLog; DELETE FROM CommonsMigrations WHERE Name = 'topic-log-from-segments'", connection);
            await reset.ExecuteNonQueryAsync();
        }

        await using var upgraded = await pool.StartSiloAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        using var http = new HttpClient { BaseAddress = upgraded.Url };
        var servedAfter = await new PoolClient(http, readerKey).DigestAsync("upgrade.log");
        var again = await new PoolClient(http, readerKey).DigestAsync("upgrade.log");

        Assert.Equal(2, servedBefore.Insights.Select(i => i.GroupId).Distinct().Count());
        Assert.Equal(servedBefore.Insights.Select(i => (i.GroupId, i.Contributors, i.ArtifactJson)), servedAfter.Insights.Select(i => (i.GroupId, i.Contributors, i.ArtifactJson)));
        Assert.Equal(servedAfter.Insights.Count, again.Insights.Count);

        // Every artifact is known at the position and time its receipt gave, and a new one follows the last.
        foreach (var (key, artifact, receipt) in published)
        {
            var resent = await new PoolClient(http, key).PublishAsync(artifact);
            Assert.True(resent.Duplicate);
            Assert.Equal((receipt.Sequence, receipt.ReceivedAt), (resent.Sequence, resent.ReceivedAt));
        }

        var last = published[^1].Key;
        var next = await new PoolClient(http, last).PublishAsync(Artifacts.Sign(last, "upgrade.log", "a parcel that is late", "ask the carrier", second: 99));
        Assert.False(next.Duplicate);
        Assert.Equal(published.Count + 1, next.Sequence);
    }

    private static StoredArtifact Stored(long sequence, string json) => new(sequence, json, PostgresTopicLog.Stored(DateTimeOffset.UtcNow), null);
}
