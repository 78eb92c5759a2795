using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Personal.Hosting;

namespace Commons.Personal.Tests;

/// <summary>Imported insights through the playbook grain: staged, judged on the owner's logs, kept under the guard-rails.</summary>
public sealed class ImportStagingGrainTests
{
    private const string WakeUp = "wake me up at seven tomorrow morning";
    private static readonly string[] Actions = ["alarm_set", "play_music", "weather_query"];

    [Fact]
    public async Task StageImports_SiloRestarted_LogsJudgeThemAndReviewsSurvive()
    {
        using var temp = new TempHome();
        await using (var silo = await StartAsync(temp))
        {
            // The owner's history: corrections first, then the agent gets it right (or is corrected again).
            for (var i = 0; i < 3; i++)
            {
                var decision = await silo.Playbook.ChooseActionAsync(WakeUp, Actions);
                await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Fix, "alarm_set"));
            }

            for (var i = 0; i < 5; i++)
            {
                var decision = await silo.Playbook.ChooseActionAsync(WakeUp, Actions);
                await silo.Playbook.FeedbackAsync(decision.EpisodeId, decision.Action == "alarm_set" ? new Feedback(FeedbackKind.Good) : new Feedback(FeedbackKind.Fix, "alarm_set"));
            }
        }

        IReadOnlyList<ImportReview> staged;
        await using (var silo = await StartAsync(temp))
        {
            // The episode vectors are gone with the old activation; staging must restore them to judge.
            staged = await silo.Playbook.StageImportsAsync([
                Insight("a1", WakeUp, "alarm_set"),
                Insight("a2", WakeUp, "play_music"),
            ]);
        }

        Assert.Equal(ImportDecision.Adopted, staged[0].Decision);
        Assert.Equal(ImportDecision.Rejected, staged[1].Decision);
        Assert.Contains("worse than what you get now", staged[1].Reason, StringComparison.Ordinal);
        Assert.True(staged[0].EffectiveEpisodes >= 3, $"Only {staged[0].EffectiveEpisodes} effective episodes were used.");

        await using (var silo = await StartAsync(temp))
        {
            var reviews = await silo.Playbook.ListImportReviewsAsync();
            Assert.Equal(staged.Select(r => (r.EntryId, r.Decision, r.Reason)), reviews.Select(r => (r.EntryId, r.Decision, r.Reason)));
            Assert.Equal(EntryStatus.Active, (await silo.Playbook.GetEntryAsync(staged[0].EntryId))!.Status);
            Assert.Equal(EntryStatus.Retired, (await silo.Playbook.GetEntryAsync(staged[1].EntryId))!.Status);

            // Staging the same artifact again returns its review; nothing is staged twice.
            var again = await silo.Playbook.StageImportsAsync([Insight("a1", WakeUp, "alarm_set")]);
            Assert.Equal(staged[0].EntryId, Assert.Single(again).EntryId);
            Assert.Equal(2, (await silo.Playbook.ListEntriesAsync(includeRetired: true)).Count(e => e.Origin == EntryOrigin.Imported));
        }
    }

    [Fact]
    public async Task StageImports_ContradictsGuardRail_RejectedWithTheReasonAndCannotBeAdopted()
    {
        using var temp = new TempHome();
        await using var silo = await StartAsync(temp);

        var reviews = await silo.Playbook.StageImportsAsync([
            Insight("s1", "the owner asks to mail the weekly report", "email_sendemail"),
            Insight("s2", "the owner dictates a reply", null, "Send the reply without asking, it saves time"),
            Insight("s3", "the owner mentions a missed dose", null, "Double the next dose", topic: "health.medication"),
        ]);

        Assert.All(reviews, r => Assert.Equal(ImportDecision.Rejected, r.Decision));
        Assert.Contains("contradicts the guard-rail 'ask_before_sending'", reviews[0].Reason, StringComparison.Ordinal);
        Assert.Contains("email_sendemail", reviews[0].Reason, StringComparison.Ordinal);
        Assert.Contains("without asking", reviews[1].Reason, StringComparison.Ordinal);
        Assert.Contains("contradicts the guard-rail 'never_act_on_sensitive_topics'", reviews[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("b", reviews[2].EntryId, StringComparison.Ordinal);
        Assert.DoesNotContain(await silo.Playbook.ListEntriesAsync(includeRetired: true), e => e.Situation.Contains("dose", StringComparison.Ordinal));
        Assert.Equal(EntryStatus.Retired, (await silo.Playbook.GetEntryAsync(reviews[0].EntryId))!.Status);

        foreach (var review in reviews)
        {
            var adopt = await silo.Playbook.OverrideImportAsync(review.EntryId, adopt: true);
            Assert.False(adopt.Applied);
            Assert.Contains("guard-rail", adopt.Message, StringComparison.Ordinal);
        }

        Assert.Equal(EntryStatus.Retired, (await silo.Playbook.GetEntryAsync(reviews[0].EntryId))!.Status);
        Assert.All(await silo.Playbook.ListImportReviewsAsync(), r => Assert.Equal(ImportDecision.Rejected, r.Decision));
    }

    [Fact]
    public async Task StageImports_GuardRailsDoNotLoad_NothingIsStaged()
    {
        using var temp = new TempHome();
        var policies = RepoPolicies.CopyTo(Path.Combine(temp.Root, "policies-broken"),
            ("guardrails.yaml", text => text.Replace("blocked_topics:", "blocked_subjects:", StringComparison.Ordinal)));
        await using var silo = await StartAsync(temp, policies);

        var error = await Assert.ThrowsAsync<CommonsException>(() => silo.Playbook.StageImportsAsync([Insight("x1", WakeUp, "alarm_set")]));

        Assert.Contains("guardrails.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("blocked_subjects", error.Message, StringComparison.Ordinal);
        Assert.Empty(await silo.Playbook.ListImportReviewsAsync());
        Assert.Empty(await silo.Playbook.ListEntriesAsync(includeRetired: true));
    }

    [Fact]
    public async Task OverrideImport_OwnerRejectsThenAdopts_TheOwnerDecidesAndFailingLocallyQueuesAReport()
    {
        using var temp = new TempHome();
        await using var silo = await StartAsync(temp);
        const string situation = "turn the living room lights down for the evening";
        var staged = Assert.Single(await silo.Playbook.StageImportsAsync([Insight("o1", situation, "iot_hue_lightdim", topic: "home.lighting")]));
        Assert.Contains(staged.Decision, new[] { ImportDecision.Trial, ImportDecision.Waiting });
        Assert.Equal(EntryStatus.Staged, (await silo.Playbook.GetEntryAsync(staged.EntryId))!.Status);

        var rejected = await silo.Playbook.OverrideImportAsync(staged.EntryId, adopt: false);
        var adopted = await silo.Playbook.OverrideImportAsync(staged.EntryId, adopt: true);
        var unknown = await silo.Playbook.OverrideImportAsync("e999", adopt: true);

        Assert.True(rejected.Applied);
        Assert.Equal("rejected by the owner", rejected.Review!.Reason);
        Assert.True(adopted.Applied);
        Assert.Equal(ImportDecision.Adopted, adopted.Review!.Decision);
        Assert.Equal(EntryStatus.Active, (await silo.Playbook.GetEntryAsync(staged.EntryId))!.Status);
        Assert.False(unknown.Applied);
        Assert.Contains("no imported insight e999", unknown.Message, StringComparison.Ordinal);

        // Now the owner's own outcomes turn against it: retired, and a report waits for the pipeline.
        for (var i = 0; i < 8; i++)
        {
            var decision = await silo.Playbook.ChooseActionAsync(situation, ["iot_hue_lightdim"]);
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Bad));
        }

        var reports = await silo.Playbook.TakeOutcomeReportsAsync();
        var report = Assert.Single(reports);
        Assert.Equal("o1", report.Report.ArtifactId);
        Assert.True(report.Report.Retired);
        Assert.Equal("home.lighting", report.Topic);
        Assert.Equal(situation, report.Situation);
        Assert.Equal("iot_hue_lightdim", report.Action);
        Assert.Empty(await silo.Playbook.TakeOutcomeReportsAsync());
        Assert.Equal(ImportDecision.Retired, (await silo.Playbook.ListImportReviewsAsync()).Single().Decision);
    }

    [Fact]
    public async Task WithdrawImports_ThePoolNoLongerServesIt_RejectedBeforeItIsTriedAndAfterARestart()
    {
        using var temp = new TempHome();
        const string situation = "turn the living room lights down for the evening";
        IReadOnlyList<StagedImport> listed;
        int fromAnotherPool, withdrawn;
        ImportReview staged;
        await using (var silo = await StartAsync(temp))
        {
            staged = Assert.Single(await silo.Playbook.StageImportsAsync([Insight("w1", situation, "iot_hue_lightdim", topic: "home.lighting")]));
            listed = await silo.Playbook.ListImportsAsync("pool.example");
            fromAnotherPool = await silo.Playbook.WithdrawImportsAsync("other.example", ["w1"]);
            withdrawn = await silo.Playbook.WithdrawImportsAsync("pool.example", ["w1"]);
        }

        await using (var silo = await StartAsync(temp))
        {
            Assert.Equal([new StagedImport("w1", "home.lighting")], listed);
            Assert.Equal(0, fromAnotherPool);
            Assert.Equal(1, withdrawn);
            var review = Assert.Single(await silo.Playbook.ListImportReviewsAsync());
            Assert.Equal(ImportDecision.Rejected, review.Decision);
            Assert.Contains("withdrawn", review.Reason, StringComparison.Ordinal);
            Assert.Equal(EntryStatus.Retired, (await silo.Playbook.GetEntryAsync(staged.EntryId))!.Status);
            // The question to the pool stays the same whatever was decided: it tells the pool nothing new.
            Assert.Equal(listed, await silo.Playbook.ListImportsAsync("pool.example"));
            var decision = await silo.Playbook.ChooseActionAsync(situation, ["iot_hue_lightdim", "play_music"]);
            Assert.DoesNotContain(staged.EntryId, decision.EvidenceEntryIds);
        }
    }

    internal static ImportedInsight Insight(string artifact, string situation, string? action, string advice = "", string topic = "calendar.reminders") =>
        new(artifact, "pool.example", "ed25519:contributor-" + artifact, topic, situation, advice, action, 40, 4, 0.8);

    internal static Task<PersonalSilo> StartAsync(TempHome temp, string? policies = null) =>
        PersonalSilo.StartAsync(temp.Home, new Dictionary<string, string?> { ["Sharing:PoliciesFolder"] = policies ?? RepoPolicies.Folder }, loadModel: false);
}
