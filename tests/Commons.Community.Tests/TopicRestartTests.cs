using Commons.Community.Pooling;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Tests;

/// <summary>A topic that activates again (a silo restart) rebuilds its groups from the recorded text placements, not by embedding its log again.</summary>
public sealed class TopicRestartTests
{
    [PostgresFact]
    public async Task FirstQueryAfterRestart_PlacesTheLogFromRecordedPlacements_EmbedsOnlyTheQuery()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        var members = new List<(PoolClient Client, Insights.ContributorKey Key)>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await pool.MemberAsync());
        }

        string[] situations = ["heating left on while away", "a parcel that is late", "a meeting across time zones"];
        string[] advice = ["turn the thermostat down before leaving", "ask the carrier for the tracking page", "confirm the time in both time zones"];
        var second = 0;
        foreach (var (client, key) in members)
        {
            for (var t = 0; t < situations.Length; t++)
            {
                await client.PublishAsync(Artifacts.Sign(key, "restart.texts", situations[t], advice[t], second: second++));
            }
        }

        var before = await pool.MemberAsync();
        var servedBefore = await before.Client.DigestAsync("restart.texts");
        await pool.Silo.DisposeAsync();

        await using var restarted = await pool.StartSiloAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        using var http = new HttpClient { BaseAddress = restarted.Url };
        var servedAfter = await new PoolClient(http, before.Key).DigestAsync("restart.texts");
        var answer = await new PoolClient(http, before.Key).QueryAsync("restart.texts", "leaving the heating on");

        Assert.Equal(3, servedBefore.Insights.Select(i => i.GroupId).Distinct().Count());
        Assert.Equal(servedBefore.Insights.Select(i => (i.GroupId, i.Contributors)), servedAfter.Insights.Select(i => (i.GroupId, i.Contributors)));
        Assert.Equal(situations[0], answer[0].Situation);
        // The query's own situation, and none of the log's texts.
        Assert.Equal(1, restarted.Services.GetRequiredService<PoolEmbeddings>().EmbeddedTexts);
    }
}
