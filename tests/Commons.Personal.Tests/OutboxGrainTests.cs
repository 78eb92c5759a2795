using System.Text;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;
using Commons.Insights;
using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;
using Commons.Pools.Client;

namespace Commons.Personal.Tests;

/// <summary>The outbox through its grain: the real export pipeline, the approval queue, signing, fail closed.</summary>
public sealed class OutboxGrainTests
{
    private const string Meeting = "schedule a meeting with the design team on monday";
    private const string Reminder = "remind me to water the plants every evening";

    [Fact]
    public async Task Prepare_PolicyFolderBroken_RefusesWithTheReasonAndQueuesNothing()
    {
        using var temp = new TempHome();
        var policies = RepoPolicies.CopyTo(Path.Combine(temp.Root, "policies-broken"),
            ("sharing.yaml", text => text.Replace("epsilon_per_artifact: 0.5", "epsilon_per_artifact: lots", StringComparison.Ordinal)));
        await using var silo = await ImportStagingGrainTests.StartAsync(temp, policies);
        await LearnAsync(silo, Meeting, "calendar_set", 6);

        var preparation = await silo.Outbox().PrepareAsync();

        Assert.Empty(preparation.Queued);
        var refusal = Assert.Single(preparation.Refusals);
        Assert.Equal("policy", refusal.Stage);
        Assert.Contains("sharing.yaml:", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("nothing leaves", refusal.Reason, StringComparison.Ordinal);
        Assert.Empty(await silo.Outbox().ListAwaitingApprovalAsync());
        Assert.Empty(await silo.Outbox().ListOutboxAsync());
        Assert.False(File.Exists(Path.Combine(temp.Root, "privacy", "epsilon.json")), "Epsilon was spent under a broken policy.");
        var summary = await silo.Outbox().GetSummaryAsync();
        Assert.Null(summary.PolicyId);
        Assert.Contains("sharing.yaml:", summary.PolicyProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_BudgetSpent_RefusesTheRestWithTheReason()
    {
        using var temp = new TempHome();
        var policies = RepoPolicies.CopyTo(Path.Combine(temp.Root, "policies-small-budget"),
            ("sharing.yaml", text => text.Replace("daily_epsilon_budget: 2", "daily_epsilon_budget: 0.5", StringComparison.Ordinal)));
        await using var silo = await ImportStagingGrainTests.StartAsync(temp, policies);
        await LearnAsync(silo, Meeting, "calendar_set", 6);
        await LearnAsync(silo, Reminder, "reminder_set", 6);

        var preparation = await silo.Outbox().PrepareAsync();
        var again = await silo.Outbox().PrepareAsync();

        Assert.Equal(2, preparation.Candidates);
        Assert.Single(preparation.Queued);
        var refusal = Assert.Single(preparation.Refusals);
        Assert.Equal("budget", refusal.Stage);
        Assert.Contains("today's epsilon budget is spent", refusal.Reason, StringComparison.Ordinal);
        Assert.Single(await silo.Outbox().ListAwaitingApprovalAsync());
        // Still spent: refused again, and still nothing of it queued.
        Assert.Empty(again.Queued);
        Assert.Equal("budget", Assert.Single(again.Refusals).Stage);
        Assert.Equal(0.5m, (await silo.Outbox().GetSummaryAsync()).EpsilonSpentToday);
    }

    [Fact]
    public async Task Approve_TwoPoolsJoined_EachGetsExactlyTheBytesShownSignedByItsOwnMemberKey()
    {
        using var temp = new TempHome();
        var store = new PoolMembershipStore(new CommonsHome(temp.Root));
        var pools = new[] { "http://127.0.0.1:5901", "http://127.0.0.1:5902" }.Select(url =>
        {
            using var key = store.KeyFor(url, out var keyFile);
            store.Save(new PoolMembership(url, key.KeyId, keyFile, DateTimeOffset.UtcNow));
            return (Url: url, Key: key.KeyId);
        }).ToList();
        await using var silo = await ImportStagingGrainTests.StartAsync(temp);
        await LearnAsync(silo, Meeting, "calendar_set", 6);

        var preparation = await silo.Outbox().PrepareAsync();
        var shown = Assert.Single(await silo.Outbox().ListAwaitingApprovalAsync());
        var decision = await silo.Outbox().ApproveAsync(shown.Id[..10]);
        var deliveries = await silo.Outbox().ListDeliveriesAsync();

        Assert.Empty(preparation.Refusals);
        Assert.Equal("calendar.scheduling", shown.Topic);
        Assert.True(decision.Applied, decision.Message);
        Assert.Empty(await silo.Outbox().ListAwaitingApprovalAsync());
        // What was shown for each pool is what leaves for it, byte for byte.
        Assert.Equal(shown.Copies!.Select(c => (c.Pool, c.Json)).Order(), deliveries.Select(d => (d.Pool, d.Json)).Order());
        var artifacts = deliveries.Select(d => InsightArtifactParser.Parse(Encoding.UTF8.GetBytes(d.Json), DateTimeOffset.UtcNow)).ToList();
        Assert.All(artifacts, a => Assert.True(a.IsValid, a.Reason));
        Assert.Equal(pools.Select(p => p.Key).Order(), artifacts.Select(a => a.Artifact!.Contributor).Order());
        // Two pools cannot link the person: only the contributor, the id and the signature differ.
        Assert.Equal(artifacts[0].Artifact! with { Id = "", Contributor = "", Signature = "" }, artifacts[1].Artifact! with { Id = "", Contributor = "", Signature = "" });
        Assert.Equal("calendar_set", artifacts[0].Artifact!.Action);
        Assert.Equal(InsightEvidence.DiscreteLaplace, artifacts[0].Artifact!.Evidence.Mechanism);

        Assert.True(await silo.Outbox().RecordDeliveryAsync(pools[0].Url, shown.Id, delivered: true, null));
        Assert.False(await silo.Outbox().RecordDeliveryAsync(pools[0].Url, shown.Id, delivered: true, null));
        Assert.Equal(pools[1].Url, Assert.Single(await silo.Outbox().ListDeliveriesAsync()).Pool);
        Assert.True(await silo.Outbox().RecordDeliveryAsync(pools[1].Url, shown.Id, delivered: false, "refused for a test"));
        Assert.Empty(await silo.Outbox().ListDeliveriesAsync());
        var summary = await silo.Outbox().GetSummaryAsync();
        Assert.Equal(1, summary.Delivered);
        Assert.Equal([(pools[0].Url, 1, 0, 0), (pools[1].Url, 0, 0, 1)], summary.Pools!.Select(p => (p.Pool, p.Delivered, p.Waiting, p.Refused)));
    }

    [Fact]
    public async Task Approve_NoPoolJoined_ShowsTheContributorKeysBytesAndAPoolJoinedLaterGetsItsOwnCopy()
    {
        using var temp = new TempHome();
        await using var silo = await ImportStagingGrainTests.StartAsync(temp);
        await LearnAsync(silo, Meeting, "calendar_set", 6);
        await silo.Outbox().PrepareAsync();
        var shown = Assert.Single(await silo.Outbox().ListAwaitingApprovalAsync());
        Assert.Null(shown.Copies);
        Assert.True((await silo.Outbox().ApproveAsync(shown.Id)).Applied);
        Assert.Empty(await silo.Outbox().ListDeliveriesAsync());

        var store = new PoolMembershipStore(new CommonsHome(temp.Root));
        using var key = store.KeyFor("http://127.0.0.1:5903", out var keyFile);
        store.Save(new PoolMembership("http://127.0.0.1:5903", key.KeyId, keyFile, DateTimeOffset.UtcNow));

        var delivery = Assert.Single(await silo.Outbox().ListDeliveriesAsync());
        Assert.Equal(key.KeyId, InsightArtifactParser.Parse(delivery.Json).Artifact!.Contributor);
        using var contributor = ContributorKey.Import(await File.ReadAllBytesAsync(Path.Combine(temp.Root, "keys", "contributor.ed25519")));
        Assert.Equal(contributor.KeyId, InsightArtifactParser.Parse(shown.Json).Artifact!.Contributor);
    }

    [Fact]
    public async Task Deny_AwaitingArtifact_IsDroppedAndNeverProposedAgain()
    {
        using var temp = new TempHome();
        await using (var silo = await ImportStagingGrainTests.StartAsync(temp))
        {
            await LearnAsync(silo, Meeting, "calendar_set", 6);
            var item = Assert.Single((await silo.Outbox().PrepareAsync()).Queued);

            var denied = await silo.Outbox().DenyAsync(item.Id);
            var unknown = await silo.Outbox().ApproveAsync(item.Id);

            Assert.True(denied.Applied, denied.Message);
            Assert.False(unknown.Applied);
            Assert.Contains("waits for approval", unknown.Message, StringComparison.Ordinal);
        }

        // Not after a restart, and not when the entry has gathered much more evidence.
        await using (var silo = await ImportStagingGrainTests.StartAsync(temp))
        {
            await LearnAsync(silo, Meeting, "calendar_set", 12);
            var again = await silo.Outbox().PrepareAsync();

            Assert.Empty(again.Queued);
            Assert.Empty(again.Refusals);
            Assert.Empty(await silo.Outbox().ListAwaitingApprovalAsync());
            Assert.Equal(1, (await silo.Outbox().GetSummaryAsync()).Denied);
        }
    }

    [Fact]
    public async Task Prepare_TrialsOfAnImport_LeaveAsOneRandomisedBitEachToItsPool_ChargedToTheBudget()
    {
        using var temp = new TempHome();
        var policies = RepoPolicies.CopyTo(Path.Combine(temp.Root, "policies-mine"));
        await using var silo = await ImportStagingGrainTests.StartAsync(temp, policies);
        const string situation = "remind me to take out the bins on tuesday night";
        var staged = Assert.Single(await silo.Playbook.StageImportsAsync([ImportStagingGrainTests.Insight("r1", situation, "reminder_set")]));
        await silo.Playbook.OverrideImportAsync(staged.EntryId, adopt: true);
        for (var i = 0; i < 7; i++)
        {
            var decision = await silo.Playbook.ChooseActionAsync(situation, ["reminder_set"]);
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Bad));
        }

        var preparation = await silo.Outbox().PrepareAsync();
        var reports = await silo.Outbox().ListReportsAsync();

        // No artifact of the import's words leaves: only bits, each to the pool the insight came from.
        Assert.DoesNotContain(preparation.Queued, q => q.Source.StartsWith("outcome:", StringComparison.Ordinal));
        Assert.NotEmpty(reports);
        Assert.Equal(preparation.ReportsQueued, reports.Count);
        Assert.All(reports, r => Assert.Equal(("r1", "pool.example", "calendar.reminders"), (r.InsightId, r.Pool, r.Topic)));
        Assert.All(reports, r => Assert.Equal(0.5, r.Epsilon));
        Assert.Equal(0.5m * (reports.Count + preparation.Queued.Count), (await silo.Outbox().GetSummaryAsync()).EpsilonSpentToday);

        await silo.Outbox().RemoveReportsAsync([reports[0].Id]);
        Assert.Equal(reports.Count - 1, (await silo.Outbox().ListReportsAsync()).Count);

        // The person stops sharing the topic before the pool could be reached: the bits still queued never leave.
        var sharing = Path.Combine(policies, "sharing.yaml");
        await File.WriteAllTextAsync(sharing, (await File.ReadAllTextAsync(sharing)).Replace("never_shared: [", "never_shared: [calendar.reminders, ", StringComparison.Ordinal));
        Assert.Empty(await silo.Outbox().ListReportsAsync());
    }

    /// <summary>The owner confirms the same action for the same request <paramref name="times"/> times.</summary>
    private static async Task LearnAsync(PersonalSilo silo, string situation, string action, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var decision = await silo.Playbook.ChooseActionAsync(situation, [action]);
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Good));
        }
    }
}
