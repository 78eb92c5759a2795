using Commons.Abstractions.Hosting;

namespace Commons.Community.Tests;

/// <summary>A silo started with segment logs on a pool whose logs are in the table refuses to start, instead of serving an empty pool. (The other way is an upgrade: TopicLogTests.)</summary>
public sealed class LogStoreCheckTests
{
    [PostgresFact]
    public async Task RestartWithSegmentsOnAPoolWhoseLogsAreInTheTable_RefusesToStart_AndTheLogsAreStillThere()
    {
        const string kept = "table";
        const string switchedTo = "segments";
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:LogStore"] = kept, ["Pool:K"] = "1" });
        var (member, key) = await pool.MemberAsync();
        await member.PublishAsync(Artifacts.Sign(key, "home.heating", "the heating stays on while away", "turn the thermostat down before leaving"));
        await pool.Silo.DisposeAsync();

        var refused = await Assert.ThrowsAsync<CommonsException>(() => pool.StartSiloAsync(new Dictionary<string, string?> { ["Pool:LogStore"] = switchedTo, ["Pool:K"] = "1" }));
        await using var again = await pool.StartSiloAsync(new Dictionary<string, string?> { ["Pool:LogStore"] = kept, ["Pool:K"] = "1" });
        using var http = new HttpClient { BaseAddress = again.Url };
        var digest = await new Pools.Client.PoolClient(http, key).DigestAsync("home.heating");

        Assert.Contains("CommonsTopicLog", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Pool:LogStore={kept}", refused.Message, StringComparison.Ordinal);
        Assert.Single(digest.Insights);
    }
}
