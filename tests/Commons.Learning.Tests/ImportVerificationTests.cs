using Commons.Abstractions.Learning;

namespace Commons.Learning.Tests;

/// <summary>Imported insights are checked on the owner's own logged episodes before they are used.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class ImportVerificationTests(MiniLmFixture miniLm)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly GuardRail[] Rails =
    [
        new("ask-before-sending", "ask before sending anything", ["send_email"], ["without asking", "without confirmation"], []),
    ];

    [Fact]
    public void Stage_HelpfulInsight_IsAdoptedAsADiscountedPrior()
    {
        var playbook = OwnerWithHistory(seed: 1);

        var review = Stage(playbook, "wake me up at six thirty", "set_alarm", successes: 40, failures: 2);

        Assert.True(review.Decision == ImportDecision.Adopted, review.Reason);
        Assert.True(review.InsightLower >= review.CurrentValue - 0.05, review.Reason);
        var entry = playbook.Find(review.EntryId)!;
        Assert.Equal(EntryStatus.Active, entry.Status);
        Assert.True(entry.PriorSuccesses + entry.PriorFailures <= 2, "the pool's 42 observations count as at most 2");
        // The pool hears that the owner's history vouched for it.
        var report = Assert.Single(playbook.TakeOutcomeReports());
        Assert.Equal((review.ArtifactId, "pool-1", false), (report.ArtifactId, report.Pool, report.Retired));
        Assert.True(report.Successes > report.Failures);
    }

    [Fact]
    public void Withdraw_InsightStillUnderReview_IsRejectedBeforeItIsTried_AndAnAdoptedOneStays()
    {
        var playbook = OwnerWithHistory(seed: 8);
        var underTrial = Stage(playbook, "order sushi for dinner", "order_food", successes: 30, failures: 1);
        var adopted = Stage(playbook, "wake me up at six thirty", "set_alarm", successes: 40, failures: 2);
        Assert.Equal(ImportDecision.Trial, underTrial.Decision);
        Assert.True(adopted.Decision == ImportDecision.Adopted, adopted.Reason);
        var listed = playbook.ImportsFrom("pool-1");

        var fromAnotherPool = playbook.Withdraw("pool-2", [underTrial.ArtifactId], Now);
        var withdrawn = playbook.Withdraw("pool-1", [underTrial.ArtifactId, adopted.ArtifactId, "a-unknown"], Now);

        Assert.Equal([underTrial.ArtifactId, adopted.ArtifactId], listed);
        Assert.Equal(0, fromAnotherPool);
        Assert.Equal(1, withdrawn);
        Assert.Equal(ImportDecision.Rejected, playbook.FindReview(underTrial.EntryId)!.Decision);
        Assert.Contains("withdrawn", playbook.FindReview(underTrial.EntryId)!.Reason, StringComparison.Ordinal);
        Assert.Equal(EntryStatus.Active, playbook.Find(adopted.EntryId)!.Status);
        Assert.Equal(listed, playbook.ImportsFrom("pool-1"));
        for (var i = 0; i < 50; i++)
        {
            var decision = playbook.ChooseAction("order sushi for dinner", miniLm.Embed("order sushi for dinner"), SyntheticIntents.Actions, null, Now.AddMinutes(i));
            Assert.DoesNotContain(underTrial.EntryId, decision.EvidenceEntryIds);
        }
    }

    [Fact]
    public void Stage_HarmfulInsight_IsRejectedOnTheLogsBeforeAnyLiveTurn()
    {
        var playbook = OwnerWithHistory(seed: 2);
        var episodesBefore = playbook.State.Episodes.Count;

        var review = Stage(playbook, "set an alarm for seven am", "play_music", successes: 500, failures: 0);

        Assert.Equal(ImportDecision.Rejected, review.Decision);
        Assert.True(review.InsightUpper < review.CurrentValue, review.Reason);
        Assert.Equal(EntryStatus.Retired, playbook.Find(review.EntryId)!.Status);
        Assert.Equal(episodesBefore, playbook.State.Episodes.Count);
        // The pool hears that the owner's history spoke against it, as it hears of a trial that went wrong.
        var report = Assert.Single(playbook.TakeOutcomeReports());
        Assert.Equal((review.ArtifactId, "pool-1", true), (report.ArtifactId, report.Pool, report.Retired));
        Assert.True(report.Failures > report.Successes);
        for (var i = 0; i < 50; i++)
        {
            var decision = playbook.ChooseAction("set an alarm for seven am", miniLm.Embed("set an alarm for seven am"), SyntheticIntents.Actions, null, Now);
            Assert.DoesNotContain(review.EntryId, decision.EvidenceEntryIds);
        }
    }

    [Fact]
    public void Stage_InsightForUnseenSituations_IsTriedOnlyWithinTheBound()
    {
        var options = new PlaybookOptions();
        var playbook = OwnerWithHistory(seed: 3, options);
        var review = Stage(playbook, "order sushi for dinner", "order_food", successes: 30, failures: 1);
        Assert.Equal(ImportDecision.Trial, review.Decision);

        var trialTurns = 0;
        const int turns = 300;
        for (var i = 0; i < turns; i++)
        {
            var decision = playbook.ChooseAction("order sushi for dinner", miniLm.Embed("order sushi for dinner"), SyntheticIntents.Actions, null, Now.AddMinutes(i));
            if (decision.EvidenceEntryIds.Contains(review.EntryId))
            {
                trialTurns++;
                Assert.InRange(decision.Propensity, options.ImportTrialShare, 1);
                // The owner does not answer; the trial stays undecided and must not be repeated past its bound.
            }
        }

        // Whether or not feedback comes, an untested insight is used at most ImportMaxTrials times.
        Assert.InRange(trialTurns, 1, options.ImportMaxTrials);
        Assert.Equal(trialTurns, playbook.FindReview(review.EntryId)!.Trials);
        Assert.Equal(EntryStatus.Staged, playbook.Find(review.EntryId)!.Status);
    }

    [Fact]
    public void Stage_InsightUnderTrial_LiveOutcomesDecide()
    {
        var options = new PlaybookOptions();
        var playbook = OwnerWithHistory(seed: 4, options);
        var review = Stage(playbook, "order sushi for dinner", "order_food", successes: 30, failures: 1);
        Assert.Equal(ImportDecision.Trial, review.Decision);

        for (var i = 0; i < 60 && playbook.FindReview(review.EntryId)!.Decision == ImportDecision.Trial; i++)
        {
            var vector = miniLm.Embed("order sushi for dinner");
            var decision = playbook.ChooseAction("order sushi for dinner", vector, SyntheticIntents.Actions, null, Now.AddMinutes(i));
            var right = decision.Action == "order_food";
            playbook.ApplyFeedback(decision.EpisodeId, new Feedback(right ? FeedbackKind.Good : FeedbackKind.Bad), vector, Now.AddMinutes(i));
        }

        var final = playbook.FindReview(review.EntryId)!;
        Assert.True(final.Decision == ImportDecision.Adopted, $"{final.Decision}: {final.Reason}; trials {final.Trials}, successes {final.TrialSuccesses}");
        // Trials, or the agent's own exploration of the same action, may supply the evidence; either
        // way no more than the bounded number of trials was spent.
        Assert.InRange(final.Trials, 0, options.ImportMaxTrials);
    }

    [Fact]
    public void Stage_InsightUnderTrialWrongOnTheOwnersTurn_IsRejectedAndNotTriedAgain()
    {
        var options = new PlaybookOptions();
        var playbook = OwnerWithHistory(seed: 5, options);
        // A poisoner's insight: wrong for this situation, with inflated evidence.
        var review = Stage(playbook, "order sushi for dinner", "play_music", successes: 500, failures: 0);
        Assert.Equal(ImportDecision.Trial, review.Decision);

        var wrongTrials = 0;
        for (var i = 0; i < 60; i++)
        {
            var vector = miniLm.Embed("order sushi for dinner");
            var decision = playbook.ChooseAction("order sushi for dinner", vector, SyntheticIntents.Actions, null, Now.AddMinutes(i));
            if (decision.EvidenceEntryIds.Contains(review.EntryId))
            {
                wrongTrials++;
            }

            var right = decision.Action == "order_food";
            playbook.ApplyFeedback(decision.EpisodeId, right ? new Feedback(FeedbackKind.Good) : new Feedback(FeedbackKind.Fix, "order_food"), vector, Now.AddMinutes(i));
        }

        var final = playbook.FindReview(review.EntryId)!;
        Assert.Equal(ImportDecision.Rejected, final.Decision);
        Assert.Equal(EntryStatus.Retired, playbook.Find(review.EntryId)!.Status);
        // One wrong answer is what the bad insight cost the owner, however often the situation came back.
        Assert.Equal(options.ImportMaxTrialFailures, wrongTrials);
    }

    [Fact]
    public void ApplyFeedback_AdoptedInsightStartsFailingLocally_IsRetiredAndReported()
    {
        var playbook = OwnerWithHistory(seed: 5);
        var review = Stage(playbook, "wake me up at six thirty", "set_alarm", successes: 40, failures: 2);
        if (review.Decision != ImportDecision.Adopted)
        {
            // What matters here is what happens after adoption, however it came about.
            review = playbook.Override(review.EntryId, adopt: true, Now)!;
        }

        Assert.Equal(EntryStatus.Active, playbook.Find(review.EntryId)!.Status);
        // (Adopted on the logs, it was reported as helpful; that report has gone to the pool.)
        playbook.TakeOutcomeReports();

        // The owner's needs change: for them, these requests now mean something else.
        for (var i = 0; i < 40 && playbook.Find(review.EntryId)!.Status == EntryStatus.Active; i++)
        {
            var vector = miniLm.Embed("wake me up at six thirty");
            var decision = playbook.ChooseAction("wake me up at six thirty", vector, SyntheticIntents.Actions, null, Now.AddHours(1).AddMinutes(i));
            playbook.ApplyFeedback(decision.EpisodeId, new Feedback(decision.Action == "play_music" ? FeedbackKind.Good : FeedbackKind.Bad), vector, Now.AddHours(1).AddMinutes(i));
        }

        Assert.Equal(EntryStatus.Retired, playbook.Find(review.EntryId)!.Status);
        Assert.Equal(ImportDecision.Retired, playbook.FindReview(review.EntryId)!.Decision);
        var report = Assert.Single(playbook.TakeOutcomeReports());
        Assert.Equal(review.ArtifactId, report.ArtifactId);
        Assert.True(report.Retired);
        Assert.True(report.Failures > report.Successes);
    }

    [Fact]
    public void Stage_ContradictsGuardRail_IsRejectedWithThatReason()
    {
        var playbook = OwnerWithHistory(seed: 6);

        var byAction = Stage(playbook, "send an email to my boss", "send_email", successes: 90, failures: 0);
        var byWords = playbook.Stage(
            new ImportedInsight("a-words", "pool", "k2", "email", "when writing to a colleague", "send it without asking to save time", null, 50, 0, 1),
            miniLm.Embed("when writing to a colleague"), Rails, Now);

        Assert.Equal(ImportDecision.Rejected, byAction.Decision);
        Assert.Contains("ask-before-sending", byAction.Reason, StringComparison.Ordinal);
        Assert.Equal(ImportDecision.Rejected, byWords.Decision);
        Assert.Contains("without asking", byWords.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_SameArtifactAfterTheStateIsLoadedAgain_IsNotStagedTwice()
    {
        var playbook = OwnerWithHistory(seed: 7);
        var first = Stage(playbook, "wake me up at six thirty", "set_alarm", successes: 40, failures: 2);
        var entries = playbook.State.Entries.Count;

        // The grain activates again on the saved state: the review is found by its artifact and entry.
        var reloaded = new Playbook(playbook.State, new PlaybookOptions(), new Random(7));
        var again = Stage(reloaded, "wake me up at six thirty", "set_alarm", successes: 40, failures: 2);

        Assert.Equal(first.EntryId, again.EntryId);
        Assert.Equal(entries, reloaded.State.Entries.Count);
        Assert.Equal(first, reloaded.FindReview(first.EntryId));
    }

    private ImportReview Stage(Playbook playbook, string situation, string action, double successes, double failures) =>
        playbook.Stage(
            new ImportedInsight("a-" + situation.GetHashCode(StringComparison.Ordinal).ToString("x", System.Globalization.CultureInfo.InvariantCulture), "pool-1", "key-7", "general", situation, "", action, successes, failures, 1),
            miniLm.Embed(situation), Rails, Now);

    /// <summary>
    /// An owner who asked about alarms, the weather and music (never about food), and whose agent
    /// learned from right-or-wrong feedback with an occasional correction.
    /// </summary>
    private Playbook OwnerWithHistory(int seed, PlaybookOptions? options = null)
    {
        var playbook = new Playbook(new PlaybookState(), options ?? new PlaybookOptions(), new Random(seed));
        var random = new Random(seed * 31);
        var requests = SyntheticIntents.Requests.Where(r => r.Label is 0 or 1 or 2).ToList();
        miniLm.EmbedAll(requests.Select(r => r.Text));
        for (var i = 0; i < 60; i++)
        {
            var (text, label) = requests[random.Next(requests.Count)];
            var vector = miniLm.Embed(text);
            var decision = playbook.ChooseAction(text, vector, SyntheticIntents.Actions, null, Now.AddMinutes(-100 + i));
            var right = decision.Action == SyntheticIntents.Actions[label];
            var feedback = right ? new Feedback(FeedbackKind.Good)
                : i % 3 == 0 ? new Feedback(FeedbackKind.Fix, SyntheticIntents.Actions[label])
                : new Feedback(FeedbackKind.Bad);
            playbook.ApplyFeedback(decision.EpisodeId, feedback, vector, Now.AddMinutes(-100 + i));
        }

        return playbook;
    }
}
