using System.Net;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;
using Orleans.Runtime;

namespace Commons.Community.Tests;

/// <summary>A member's erasure: withdrawn from the pool, from a member that imported it and from a federated peer, with a signed receipt (real silos, PostgreSQL, HTTP).</summary>
public sealed class ErasureTests : IAsyncLifetime
{
    private const string Topic = "calendar.reminders";
    private const string Situation = "the person asks to be reminded about a meeting tomorrow";
    private const string Advice = "set the reminder an hour before the meeting";
    private GovernedPool? _governed;

    private GovernedPool Governed => _governed!;

    private TestPool Pool => Governed.Pool;

    public async Task InitializeAsync() => _governed = await GovernedPool.StartAsync(k: 2);

    public async Task DisposeAsync() => await Governed.DisposeAsync();

    private static string StagedId(PoolInsight insight) => WordingId.Of(insight.GroupId, InsightArtifactParser.Parse(insight.ArtifactJson!).Artifact!.Id);

    [PostgresFact]
    public async Task Forget_ReachesAnImporterAndAFederatedPeer_WithASignedReceipt()
    {
        var authors = new List<(PoolClient Client, ContributorKey Key)>();
        for (var i = 0; i < 2; i++)
        {
            var (client, key) = await Pool.MemberAsync();
            await client.PublishAsync(Governed.Redacted(key, Topic, Situation, Advice));
            authors.Add((client, key));
        }

        // An importer at the pool, and a member of a peer pool that replicates this one, each stage it.
        var (importer, _) = await Pool.MemberAsync();
        var staged = StagedId(Assert.Single((await importer.DigestAsync(Topic)).Insights));
        await using var follower = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        await follower.AdminClient().AddPeerAsync(Pool.Url.ToString(), Pool.PeerInvite());
        var (peerMember, _) = await follower.MemberAsync();
        var stagedAtPeer = StagedId(Assert.Single((await peerMember.DigestAsync(Topic)).Insights));

        var (forgetting, key0) = authors[0];
        var signed = await forgetting.ForgetAsync(SignedStatement<ForgetStatement>.Sign(new ForgetStatement(ForgetStatement.Forget, key0.KeyId, Pool.Url.ToString(), DateTimeOffset.UtcNow), key0));

        var receipt = signed.Statement;
        Assert.True(signed.IsSignedBy(Governed.ReceiptKey.KeyId), "the receipt is signed by the receipt key the pool's policy names");
        Assert.Equal(key0.KeyId, receipt.Contributor);
        Assert.Equal(1, receipt.ArtifactsWithdrawn);
        Assert.Equal([Topic], receipt.Topics);
        Assert.Equal(1, receipt.GroupsBacked);
        Assert.Equal(1, receipt.GroupsNoLongerServed);
        Assert.Equal(1, receipt.PeersTold);
        // The group fell below k: the importer is told at its next pull, and nobody is served it.
        Assert.Equal([staged], await importer.WithdrawnAsync(Topic, [staged]));
        Assert.Empty((await importer.DigestAsync(Topic)).Insights);
        // The peer applies the member's own signed statement at its next federation pull.
        var gone = false;
        for (var attempt = 0; attempt < 100 && !gone; attempt++)
        {
            await Task.Delay(200);
            gone = (await peerMember.WithdrawnAsync(Topic, [stagedAtPeer])).Count == 1;
        }

        Assert.True(gone, "the peer pool withdrew the erased member's artifact from its own member");
        // The withdrawal is in the pool's database: a topic that activates again (here: every idle grain collected) still applies it.
        await Pool.Silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal([staged], await importer.WithdrawnAsync(Topic, [staged]));
        Assert.Empty(await importer.QueryAsync(Topic, Situation));
        var audit = (await importer.ReadAuditAsync()).Entries;
        Assert.Contains(audit, e => e.Action == "forget" && e.Actor == key0.KeyId && e.Detail.Contains("1 artifact withdrawn in 1 topic", StringComparison.Ordinal));
        var peerAudit = (await peerMember.ReadAuditAsync()).Entries;
        Assert.Contains(peerAudit, e => e.Action == "peer-add" && e.Actor == follower.Admin.KeyId && e.Target == Pool.Url.ToString().TrimEnd('/'));
    }

    [PostgresFact]
    public async Task Forget_StatementOfAnotherKey_IsForbiddenAndWithdrawsNothing()
    {
        var (victim, victimKey) = await Pool.MemberAsync();
        await victim.PublishAsync(Governed.Redacted(victimKey, "notes.organising", Situation, Advice));
        var (attacker, attackerKey) = await Pool.MemberAsync();

        // The attacker signs a statement naming the victim: the request's signer is not the one to be forgotten.
        var forged = SignedStatement<ForgetStatement>.Sign(new ForgetStatement(ForgetStatement.Forget, victimKey.KeyId, Pool.Url.ToString(), DateTimeOffset.UtcNow), attackerKey);
        var error = await Assert.ThrowsAsync<PoolApiException>(() => attacker.ForgetAsync(forged));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Single(await Pool.Silo.Grains.GetGrain<IInsightPoolGovernance>("notes.organising").ArtifactsOfAsync(victimKey.KeyId));
    }
}
