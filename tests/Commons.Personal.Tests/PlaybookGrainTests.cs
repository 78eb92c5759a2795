using Commons.Abstractions.Learning;
using Commons.Personal.Hosting;

namespace Commons.Personal.Tests;

public sealed class PlaybookGrainTests
{
    private static Dictionary<string, string?> Settings() => new()
    {
        ["Model:Path"] = SharedFiles.StoriesModel,
        ["Model:MaxTokens"] = "8",
        ["Model:Temperature"] = "0",
    };

    [Fact]
    public async Task PlaybookState_SiloRestarted_EntriesCountersAndPropensitiesSurvive()
    {
        using var temp = new TempHome();
        string[] actions = ["set_alarm", "play_music", "weather_query"];
        ActionDecision decision;
        PlaybookEntry owners;
        string right;
        await using (var silo = await PersonalSilo.StartAsync(temp.Home, Settings(), loadModel: false))
        {
            owners = await silo.Playbook.AddEntryAsync("When the owner asks about money", "Never move funds without asking", null);
            decision = await silo.Playbook.ChooseActionAsync("wake me up at seven", actions);
            // The owner corrects the agent to an action it did not choose.
            right = decision.Action == "set_alarm" ? "play_music" : "set_alarm";
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Fix, right));
            // A selection with no feedback yet: its propensity must still be written on shutdown.
            await silo.Playbook.DecideTurnAsync("When the owner asks about money transfers", ["reply"], "reply");
        }

        await using (var silo = await PersonalSilo.StartAsync(temp.Home, Settings(), loadModel: false))
        {
            var entries = await silo.Playbook.ListEntriesAsync(includeRetired: false);
            Assert.Contains(entries, e => e.Id == owners.Id && e.Advice == "Never move funds without asking");
            var correction = Assert.Single(entries, e => e.Origin == EntryOrigin.Correction);
            Assert.Equal(right, correction.Action);
            Assert.Equal(2, correction.Successes);

            var episodes = await silo.Playbook.GetEpisodesAsync(10);
            Assert.Equal(2, episodes.Count);
            Assert.Equal(decision.Propensity, episodes[0].ActionPropensity);
            Assert.Equal(0.0, episodes[0].Reward);
            Assert.Equal(right, episodes[0].Correction);
            var selected = Assert.Single(episodes[1].Selected);
            Assert.Equal(owners.Id, selected.EntryId);
            Assert.InRange(selected.Propensity, 0.01, 1);

            var next = await silo.Playbook.ChooseActionAsync("wake me up at seven", actions);
            Assert.Equal(right, next.Action);
        }
    }

    [Fact]
    public async Task AgentFeedback_FixAfterReply_CorrectionIsInTheNextPromptForTheSameRequest()
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings());
        await DrainAsync(silo, "What should I cook tonight?");

        var outcome = await silo.Agent.FeedbackAsync(new Feedback(FeedbackKind.Fix, "Suggest a vegetarian recipe with what is in season"));
        await DrainAsync(silo, "What should I cook tonight?");

        Assert.True(outcome.Applied);
        var turns = await silo.Agent.GetCurrentTurnsAsync();
        Assert.Empty(turns[0].AppliedEntryIds ?? []);
        Assert.Equal([outcome.EntryId!], turns[1].AppliedEntryIds);
        var again = await silo.Agent.FeedbackAsync(new Feedback(FeedbackKind.Good));
        Assert.True(again.Applied);
        var entry = await silo.Playbook.GetEntryAsync(outcome.EntryId!);
        Assert.Equal(3, entry!.Successes);
    }

    [Fact]
    public async Task DecideTurn_SameRequestRestatedRightAway_CountsAgainstThePreviousReply()
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings(), loadModel: false);
        var first = await silo.Playbook.DecideTurnAsync("Set a reminder to call the bank tomorrow morning", ["reply"], "reply");

        await silo.Playbook.DecideTurnAsync("Set a reminder to call the bank tomorrow morning please", ["reply"], "reply");
        await silo.Playbook.DecideTurnAsync("What is the capital of Peru?", ["reply"], "reply");

        var episodes = await silo.Playbook.GetEpisodesAsync(10);
        Assert.Equal(0.0, episodes.Single(e => e.Id == first.EpisodeId).Reward);
        Assert.Null(episodes[1].Reward);
    }

    private static async Task DrainAsync(PersonalSilo silo, string message)
    {
        await foreach (var piece in silo.Agent.ChatAsync(message))
        {
            _ = piece;
        }
    }
}
