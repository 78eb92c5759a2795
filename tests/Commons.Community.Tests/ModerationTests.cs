using System.Net;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>Reports, the admin's quarantine review, suspension by the policy's rule and the audit log (real silo, PostgreSQL, HTTP).</summary>
public sealed class ModerationTests : IAsyncLifetime
{
    private const string Topic = "weather.queries";
    private const string Situation = "the person asks what the weather will be like tomorrow";
    private const string Advice = "give the forecast for the whole day with the temperature";
    private GovernedPool? _governed;

    private GovernedPool Governed => _governed!;

    private TestPool Pool => Governed.Pool;

    public async Task InitializeAsync() => _governed = await GovernedPool.StartAsync(k: 2, suspendAfter: 2);

    public async Task DisposeAsync() => await Governed.DisposeAsync();

    /// <summary>Two members publish the same insight (k = 2: served); a third reads it as a member's agent stages it.</summary>
    private async Task<(PoolClient Reader, string StagedId, List<ContributorKey> Authors)> ServedInsightAsync(string topic)
    {
        var authors = new List<ContributorKey>();
        for (var i = 0; i < 2; i++)
        {
            var (client, key) = await Pool.MemberAsync();
            await client.PublishAsync(Governed.Redacted(key, topic, Situation, Advice));
            authors.Add(key);
        }

        var (reader, _) = await Pool.MemberAsync();
        var insight = Assert.Single((await reader.DigestAsync(topic)).Insights, i => i.ArtifactJson is not null);
        return (reader, WordingId.Of(insight.GroupId, InsightArtifactParser.Parse(insight.ArtifactJson!).Artifact!.Id), authors);
    }

    [PostgresFact]
    public async Task ReportThenRemove_AMemberThatStagedItIsToldItIsWithdrawn()
    {
        var (reader, staged, _) = await ServedInsightAsync(Topic);
        Assert.Empty(await reader.WithdrawnAsync(Topic, [staged]));

        var report = await reader.ReportAsync(new ReportRequest(Topic, staged, "wrong", "it did not help"));
        var again = await reader.ReportAsync(new ReportRequest(Topic, staged, "wrong"));
        var admin = Pool.AdminClient();
        var listed = await admin.ModerateAsync(new ModerationRequest("list"));
        var removed = await admin.ModerateAsync(new ModerationRequest("remove", report.QuarantineId, Note: "checked"));

        Assert.True(again.Duplicate);
        var item = Assert.Single(listed.Open, i => i.Id == report.QuarantineId);
        Assert.Equal("report", item.Kind);
        Assert.Equal("wrong", item.Reason);
        Assert.Equal(2, removed.Withdrawn);
        // The member that staged it learns at its next pull that it is withdrawn; nobody is served it any more.
        Assert.Equal([staged], await reader.WithdrawnAsync(Topic, [staged]));
        // The same words, published again by members of their own, stay removed.
        for (var i = 0; i < 2; i++)
        {
            var (again2, againKey) = await Pool.MemberAsync();
            await again2.PublishAsync(Governed.Redacted(againKey, Topic, Situation, Advice));
        }

        var (late, _) = await Pool.MemberAsync();
        Assert.Empty((await late.DigestAsync(Topic)).Insights);
        Assert.Empty(await late.QueryAsync(Topic, Situation));
        Assert.DoesNotContain((await admin.ModerateAsync(new ModerationRequest("list"))).Open, i => i.Id == report.QuarantineId);
        var audit = await reader.ReadAuditAsync();
        var entry = Assert.Single(audit.Entries, e => e.Action == "remove");
        Assert.Equal(Pool.Admin.KeyId, entry.Actor);
        Assert.Contains("2 artifacts withdrawn", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("checked", entry.Detail, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Remove_OnAFederatedPool_WithdrawsItFromThePeer()
    {
        var (_, staged, _) = await ServedInsightAsync("calendar.scheduling");
        await using var follower = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        await follower.AdminClient().AddPeerAsync(Pool.Url.ToString(), Pool.PeerInvite());
        var (peerMember, _) = await follower.MemberAsync();
        var atPeer = Assert.Single((await peerMember.DigestAsync("calendar.scheduling")).Insights, i => i.ArtifactJson is not null);
        var stagedAtPeer = WordingId.Of(atPeer.GroupId, InsightArtifactParser.Parse(atPeer.ArtifactJson!).Artifact!.Id);

        var (reporter, _) = await Pool.MemberAsync();
        var report = await reporter.ReportAsync(new ReportRequest("calendar.scheduling", staged, "spam"));
        await Pool.AdminClient().ModerateAsync(new ModerationRequest("remove", report.QuarantineId));

        var gone = false;
        for (var attempt = 0; attempt < 100 && !gone; attempt++)
        {
            await Task.Delay(200);
            gone = (await peerMember.WithdrawnAsync("calendar.scheduling", [stagedAtPeer])).Count == 1;
        }

        Assert.True(gone, "the peer pool withdrew the removed insight from its own member");
    }

    [PostgresFact]
    public async Task RepeatViolator_IsSuspendedByThePolicysRule_AndCanBeReinstated()
    {
        var (client, key) = await Pool.MemberAsync();
        var (reader, _) = await Pool.MemberAsync();
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Redacted(key, "health.symptoms", Situation, Advice)));
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Raw(key, Topic, Situation, "mail jane.doe@example.com")));

        var suspended = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Redacted(key, Topic, Situation, Advice)));
        var notAdmin = await Assert.ThrowsAsync<PoolApiException>(() => client.ModerateAsync(new ModerationRequest("reinstate", Member: key.KeyId)));
        await Pool.AdminClient().ModerateAsync(new ModerationRequest("reinstate", Member: key.KeyId));
        var accepted = await client.PublishAsync(Governed.Redacted(key, Topic, Situation, Advice));

        Assert.Equal(HttpStatusCode.Forbidden, suspended.Status);
        Assert.Contains("suspended by the pool's policy", suspended.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.Status);
        Assert.False(accepted.Duplicate);
        var audit = (await reader.ReadAuditAsync()).Entries;
        Assert.Contains(audit, e => e.Action == "suspend" && e.Target == key.KeyId && e.Actor == "policy");
        Assert.Contains(audit, e => e.Action == "reinstate" && e.Target == key.KeyId && e.Actor == Pool.Admin.KeyId);
    }

    [PostgresFact]
    public async Task Accept_ARefusedArtifact_AdmitsIt()
    {
        var (client, key) = await Pool.MemberAsync();
        var artifact = Governed.Redacted(key, "shopping.lists", Situation, Advice);
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(artifact));
        var admin = Pool.AdminClient();
        var item = Assert.Single((await admin.ModerateAsync(new ModerationRequest("list"))).Open, i => i.InsightId == artifact.Id);

        await admin.ModerateAsync(new ModerationRequest("accept", item.Id));

        // Admitted by the admin: the topic holds it now.
        Assert.Contains(artifact.Id, await Pool.Silo.Grains.GetGrain<IInsightPoolGovernance>("shopping.lists").ArtifactsOfAsync(key.KeyId));
        Assert.Null((await admin.ModerateAsync(new ModerationRequest("list"))).Open.FirstOrDefault(i => i.Id == item.Id));
    }

    [PostgresFact]
    public async Task Report_OnAnInsightThePoolDoesNotHave_IsNotFound()
    {
        var (client, _) = await Pool.MemberAsync();

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.ReportAsync(new ReportRequest(Topic, "no-such-insight", "spam")));
        var badReason = await Assert.ThrowsAsync<PoolApiException>(() => client.ReportAsync(new ReportRequest(Topic, "x", "boring")));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badReason.Status);
    }
}
