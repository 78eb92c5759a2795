using Commons.Abstractions.Learning;

namespace Commons.Learning.Tests;

/// <summary>
/// A simulated person asks for one of 6 things in 120 phrasings; the agent picks an action and
/// hears only right or wrong. The agent must get clearly better at it.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class ActionLearningTests(MiniLmFixture miniLm, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Interactions = 120;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ChooseAction_BanditFeedbackOnSyntheticTask_LastTwentyClearlyBeatFirstTwentyChanceAndNoLearning()
    {
        miniLm.EmbedAll(SyntheticIntents.Requests.Select(r => r.Text));
        double first = 0, last = 0, baseline = 0;
        int[] seeds = [1, 2, 3, 4, 5];
        foreach (var seed in seeds)
        {
            var learned = Run(seed, learn: true);
            var frozen = Run(seed, learn: false);
            first += learned.Take(20).Average();
            last += learned.TakeLast(20).Average();
            baseline += frozen.TakeLast(20).Average();
        }

        first /= seeds.Length;
        last /= seeds.Length;
        baseline /= seeds.Length;
        var chance = 1.0 / SyntheticIntents.Actions.Length;
        output.WriteLine($"first 20: {first:P1}, last 20: {last:P1}, no learning: {baseline:P1}, chance: {chance:P1}");

        Assert.True(last >= first + 0.3, $"last 20: {last:P0}, first 20: {first:P0}");
        Assert.True(last >= 2.5 * chance, $"last 20: {last:P0}, chance: {chance:P0}");
        Assert.True(last >= baseline + 0.3, $"last 20: {last:P0}, without learning: {baseline:P0}");
    }

    [Fact]
    public void ApplyFeedback_FixWithRightAction_NextSameRequestChoosesIt()
    {
        var playbook = new Playbook(new PlaybookState(), new PlaybookOptions { ExplorationActions = 0 }, new Random(3));
        const string request = "wake me up at seven am";
        var vector = miniLm.Embed(request);
        var first = playbook.ChooseAction(request, vector, SyntheticIntents.Actions, null, Start);

        playbook.ApplyFeedback(first.EpisodeId, new Feedback(FeedbackKind.Fix, "set_alarm"), vector, Start);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("set_alarm", playbook.ChooseAction(request, vector, SyntheticIntents.Actions, null, Start).Action);
        }
    }

    private List<double> Run(int seed, bool learn)
    {
        var random = new Random(seed);
        var playbook = new Playbook(new PlaybookState(), new PlaybookOptions(), new Random(seed + 100));
        var outcomes = new List<double>();
        for (var step = 0; step < Interactions; step++)
        {
            var (text, label) = SyntheticIntents.Requests[random.Next(SyntheticIntents.Requests.Count)];
            var vector = miniLm.Embed(text);
            var decision = playbook.ChooseAction(text, vector, SyntheticIntents.Actions, null, Start.AddMinutes(step));
            var right = decision.Action == SyntheticIntents.Actions[label];
            outcomes.Add(right ? 1 : 0);
            if (learn)
            {
                playbook.ApplyFeedback(decision.EpisodeId, new Feedback(right ? FeedbackKind.Good : FeedbackKind.Bad), vector, Start.AddMinutes(step));
            }
        }

        return outcomes;
    }
}
