using System.Text;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;
using Commons.Insights;
using Commons.Personal.Hosting;

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
    public async Task Approve_AwaitingArtifact_ReleasesExactlyTheBytesShownSignedByTheMemberKey()
    {
        using var temp = new TempHome();
        await using var silo = await ImportStagingGrainTests.StartAsync(temp);
        await LearnAsync(silo, Meeting, "calendar_set", 6);

        var preparation = await silo.Outbox().PrepareAsync();
        var shown = Assert.Single(await silo.Outbox().ListAwaitingApprovalAsync());
        var decision = await silo.Outbox().ApproveAsync(shown.Id[..10]);
        var outbox = await silo.Outbox().ListOutboxAsync();

        Assert.Empty(preparation.Refusals);
        Assert.Equal("calendar.scheduling", shown.Topic);
        Assert.Equal("pattern", shown.Kind);
        Assert.True(decision.Applied, decision.Message);
        var ready = Assert.Single(outbox);
        Assert.Equal(shown.Json, ready.Json);
        Assert.Empty(await silo.Outbox().ListAwaitingApprovalAsync());

        var parsed = InsightArtifactParser.Parse(Encoding.UTF8.GetBytes(ready.Json), DateTimeOffset.UtcNow);
        Assert.True(parsed.IsValid, parsed.Reason);
        Assert.Equal(ready.Id, parsed.Artifact.Id);
        Assert.Equal(ready.Json, parsed.Artifact.ToJson());
        Assert.Equal("calendar_set", parsed.Artifact.Action);
        Assert.Equal(InsightEvidence.DiscreteLaplace, parsed.Artifact.Evidence.Mechanism);

        var keyFile = Path.Combine(temp.Root, "keys", "contributor.ed25519");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        using (var key = ContributorKey.Import(await File.ReadAllBytesAsync(keyFile)))
        {
            Assert.Equal(key.KeyId, parsed.Artifact.Contributor);
        }

        Assert.True(await silo.Outbox().MarkDeliveredAsync(ready.Id));
        Assert.False(await silo.Outbox().MarkDeliveredAsync(ready.Id));
        Assert.Empty(await silo.Outbox().ListOutboxAsync());
        Assert.Equal(1, (await silo.Outbox().GetSummaryAsync()).Delivered);
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
    public async Task Prepare_OutcomeReportOnARetiredImport_GoesThroughThePipelineWithTheReason()
    {
        using var temp = new TempHome();
        await using var silo = await ImportStagingGrainTests.StartAsync(temp);
        const string situation = "remind me to take out the bins on tuesday night";
        var staged = Assert.Single(await silo.Playbook.StageImportsAsync([ImportStagingGrainTests.Insight("r1", situation, "reminder_set")]));
        await silo.Playbook.OverrideImportAsync(staged.EntryId, adopt: true);
        for (var i = 0; i < 7; i++)
        {
            var decision = await silo.Playbook.ChooseActionAsync(situation, ["reminder_set"]);
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Bad));
        }

        var preparation = await silo.Outbox().PrepareAsync();

        // Three local failures are below calendar.reminders' minimum of five: refused, with the reason.
        var refusal = Assert.Single(preparation.Refusals, r => r.Source == "outcome:r1");
        Assert.Equal("sharing", refusal.Stage);
        Assert.Contains("needs at least 5 local outcomes", refusal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(preparation.Queued, q => q.Source == "outcome:r1");
        Assert.Contains((await silo.Outbox().GetSummaryAsync()).StandingRefusals, r => r.Source == "outcome:r1");
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
