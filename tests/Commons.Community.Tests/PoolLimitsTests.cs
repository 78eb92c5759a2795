using System.Net;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>What one member can take from a pool: publish and read rates, credit, topics.</summary>
public sealed class PoolLimitsTests
{
    [PostgresFact]
    public async Task Publish_FasterThanTheMembersRate_Gets429WithRetryAfter_OtherMembersUnaffected()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?>
        {
            ["Pool:PublishesPerSecond"] = "0.2",
            ["Pool:PublishBurst"] = "5",
        });
        var (flooder, key) = await pool.MemberAsync();
        var (other, otherKey) = await pool.MemberAsync();

        for (var i = 0; i < 5; i++)
        {
            await flooder.PublishAsync(Artifacts.Sign(key, "limits.rate", $"situation number {i}", "some advice", second: i));
        }

        var refused = await Assert.ThrowsAsync<PoolApiException>(() => flooder.PublishAsync(Artifacts.Sign(key, "limits.rate", "one more", "some advice", second: 9)));
        var accepted = await other.PublishAsync(Artifacts.Sign(otherKey, "limits.rate", "another member", "some advice"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("publishes faster", refused.Message, StringComparison.Ordinal);
        Assert.False(accepted.Duplicate);
    }

    [PostgresFact]
    public async Task Query_FasterThanTheMembersReadRate_Gets429()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?>
        {
            ["Pool:ReadsPerSecond"] = "0.1",
            ["Pool:ReadBurst"] = "2",
            ["Pool:FreeReadsPerDay"] = "100",
        });
        var (reader, _) = await pool.MemberAsync();

        await reader.QueryAsync("limits.read", "anything");
        await reader.DigestAsync("limits.read");
        var refused = await Assert.ThrowsAsync<PoolApiException>(() => reader.QueryAsync("limits.read", "anything"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
    }

    [PostgresFact]
    public async Task Credit_JunkNobodyElseBacks_EarnsNothing_AGroupAnotherMemberBacks_EarnsBoth()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?>
        {
            ["Pool:CreditPerContribution"] = "5",
            ["Pool:FreeReadsPerDay"] = "0",
        });
        var (junk, junkKey) = await pool.MemberAsync();
        var (first, firstKey) = await pool.MemberAsync();
        var (second, secondKey) = await pool.MemberAsync();

        // The probe's farm: distinct junk in distinct topics.
        for (var i = 0; i < 10; i++)
        {
            await junk.PublishAsync(Artifacts.Sign(junkKey, $"junk.topic{i}", $"zq{i}x vb{i}k", $"pl{i}w", second: i));
        }

        await first.PublishAsync(Artifacts.Sign(firstKey, "limits.credit", "heating left on while away", "turn the thermostat down before leaving"));
        await second.PublishAsync(Artifacts.Sign(secondKey, "limits.credit", "heating left on while away", "turn the thermostat down before leaving"));
        // Grouping runs behind the receipts: the credit shows in the members' status once it is done.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await second.GetMeAsync()).Balance == 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        var served = await first.QueryAsync("limits.credit", "the heating");
        var junkRead = await Assert.ThrowsAsync<PoolApiException>(() => junk.QueryAsync("junk.topic0", "anything"));

        Assert.Equal(HttpStatusCode.PaymentRequired, junkRead.Status);
        Assert.Equal(0, (await junk.GetMeAsync()).Balance);
        Assert.Equal(10, (await junk.GetMeAsync()).Contributions);
        Assert.Equal(5 - 1, (await first.GetMeAsync()).Balance);
        Assert.Equal(5, (await second.GetMeAsync()).Balance);
        Assert.NotNull(served);
    }

    [PostgresFact]
    public async Task Publish_NewTopicBeyondTheCap_Is409_ExistingTopicsStillTakeArtifacts()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:MaxTopics"] = "3" });
        var (member, key) = await pool.MemberAsync();
        for (var i = 0; i < 3; i++)
        {
            await member.PublishAsync(Artifacts.Sign(key, $"cap.topic{i}", "a situation", "some advice", second: i));
        }

        var refused = await Assert.ThrowsAsync<PoolApiException>(() => member.PublishAsync(Artifacts.Sign(key, "cap.topic3", "a situation", "some advice")));
        var existing = await member.PublishAsync(Artifacts.Sign(key, "cap.topic1", "another situation", "other advice", second: 20));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("as many topics", refused.Message, StringComparison.Ordinal);
        Assert.False(existing.Duplicate);
        Assert.Equal(["cap.topic0", "cap.topic1", "cap.topic2"], await member.ListTopicsAsync());
    }

    [PostgresFact]
    public async Task Topics_ArePaged_InOrder_WithACursorToTheEnd()
    {
        await using var pool = await TestPool.StartAsync();
        var (member, key) = await pool.MemberAsync();
        string[] topics = ["page.e", "page.a", "page.d", "page.b", "page.c"];
        foreach (var topic in topics)
        {
            await member.PublishAsync(Artifacts.Sign(key, topic, "a situation", "some advice"));
        }

        var first = await member.ListTopicsAsync(null, 2);
        var second = await member.ListTopicsAsync(first.Next, 2);
        var last = await member.ListTopicsAsync(second.Next, 2);

        Assert.Equal(["page.a", "page.b"], first.Topics);
        Assert.Equal(["page.c", "page.d"], second.Topics);
        Assert.Equal(["page.e"], last.Topics);
        Assert.Null(last.Next);
        Assert.Equal(topics.Order(StringComparer.Ordinal), await member.ListTopicsAsync());
    }
}
