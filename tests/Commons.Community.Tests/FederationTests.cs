using Commons.Insights;

namespace Commons.Community.Tests;

/// <summary>Two pools, each with its own cluster and database: one follows the other's feed.</summary>
public sealed class FederationTests
{
    [PostgresFact]
    public async Task PeerAdd_ReplicatesSignedArtifactsBetweenPools()
    {
        var policy = new Dictionary<string, string?> { ["Pool:K"] = "2" };
        await using var origin = await TestPool.StartAsync(policy);
        await using var follower = await TestPool.StartAsync(policy);
        const string topic = "travel.booking";
        var published = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (client, key) = await origin.MemberAsync();
            published.Add((await client.PublishAsync(Artifacts.Sign(key, topic, "booking a train with a bike", "reserve the bike space when buying the ticket"))).ArtifactId);
        }

        // The origin invites the follower pool as a peer; the follower's admin adds the origin as a peer.
        var status = await follower.AdminClient().AddPeerAsync(origin.Url.ToString(), origin.PeerInvite());

        var (member, _) = await follower.MemberAsync();
        var reader = await follower.PeerAsync();
        var feed = await reader.ReadFeedAsync(topic, 0, 100);
        var insight = Assert.Single(await member.QueryAsync(topic, "taking a bike on the train"));

        // Published later at the origin: arrives through the periodic pull.
        var (late, lateKey) = await origin.MemberAsync();
        var lateId = (await late.PublishAsync(Artifacts.Sign(lateKey, topic, "booking a train with a bike", "reserve the bike space when buying the ticket"))).ArtifactId;
        var arrived = false;
        for (var attempt = 0; attempt < 100 && !arrived; attempt++)
        {
            await Task.Delay(200);
            arrived = (await reader.ReadFeedAsync(topic, 0, 100)).Items.Any(i => InsightArtifactParser.Parse(i.Json).Artifact?.Id == lateId);
        }

        Assert.True(status.Joined);
        Assert.Equal(2, status.Replicated);
        Assert.Equal(published.Order(), feed.Items.Select(i => InsightArtifactParser.Parse(i.Json).Artifact!.Id).Order());
        Assert.All(feed.Items, i => Assert.Equal(origin.Url.ToString().TrimEnd('/'), i.Source));
        Assert.Equal(2, insight.Contributors);
        Assert.True(arrived, "an artifact published at the origin after peering reached the follower");
    }

    [PostgresFact]
    public async Task PeerAdd_WithAMemberInvite_ReplicatesNothing()
    {
        var policy = new Dictionary<string, string?> { ["Pool:K"] = "2" };
        await using var origin = await TestPool.StartAsync(policy);
        await using var follower = await TestPool.StartAsync(policy);
        var (client, key) = await origin.MemberAsync();
        await client.PublishAsync(Artifacts.Sign(key, "travel.booking", "booking a train with a bike", "reserve the bike space"));

        var status = await follower.AdminClient().AddPeerAsync(origin.Url.ToString(), origin.Invite());

        Assert.True(status.Joined);
        Assert.Equal(0, status.Replicated);
        Assert.Contains("only for peer pools", status.LastError, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task PeerAdd_ToAPoolAtItsTopicCap_ReplicatesNoNewTopic()
    {
        await using var origin = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        await using var follower = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2", ["Pool:MaxTopics"] = "1" });
        var (own, ownKey) = await follower.MemberAsync();
        await own.PublishAsync(Artifacts.Sign(ownKey, "home.heating", "the heating stays on while away", "turn the thermostat down before leaving"));
        for (var i = 0; i < 2; i++)
        {
            var (client, key) = await origin.MemberAsync();
            await client.PublishAsync(Artifacts.Sign(key, "travel.booking", "booking a train with a bike", "reserve the bike space when buying the ticket"));
        }

        var status = await follower.AdminClient().AddPeerAsync(origin.Url.ToString(), origin.PeerInvite());
        var (member, _) = await follower.MemberAsync();

        Assert.True(status.Joined);
        Assert.Equal(0, status.Replicated);
        Assert.Equal(["home.heating"], await member.ListTopicsAsync());
        Assert.Empty(await member.QueryAsync("travel.booking", "taking a bike on the train"));
    }
}
