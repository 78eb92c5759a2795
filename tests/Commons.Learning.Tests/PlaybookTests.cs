using Commons.Abstractions.Learning;

namespace Commons.Learning.Tests;

[Collection(MiniLmCollection.Name)]
public sealed class PlaybookTests(MiniLmFixture miniLm)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AddOrMerge_NearDuplicateSituationAndAdvice_MergesCounters()
    {
        var playbook = New();
        var (first, _) = Add(playbook, "When the owner asks about the weather", "Check the forecast for their city first", successes: 2, failures: 1);

        var (second, merged) = Add(playbook, "When the owner asks about the weather.", "Check the forecast for their city first.", successes: 1, failures: 0);

        Assert.True(merged);
        Assert.Equal(first.Id, second.Id);
        var entry = Assert.Single(playbook.Entries);
        Assert.Equal(3, entry.Successes);
        Assert.Equal(1, entry.Failures);
    }

    [Fact]
    public void AddOrMerge_SameSituationDifferentAdvice_KeepsBoth()
    {
        var playbook = New();
        Add(playbook, "When the owner asks about the weather", "Check the forecast for their city first");

        var (_, merged) = Add(playbook, "When the owner asks about the weather", "Ask whether they are travelling");

        Assert.False(merged);
        Assert.Equal(2, playbook.Entries.Count);
    }

    [Fact]
    public void EnforceCap_OverLimit_RetiresLowestValueFirstAndKeepsOwnerEntries()
    {
        var playbook = New(new PlaybookOptions { MaxEntries = 10 });
        var owner = Add(playbook, "owner rule", "always answer in French", origin: EntryOrigin.Owner, failures: 50).Entry;
        var strong = Enumerable.Range(0, 9).Select(i => Add(playbook, $"topic number {i} about gardening {i}", $"advice {i}", successes: 10).Entry).ToList();
        Assert.Equal(10, playbook.Entries.Count(e => e.Status == EntryStatus.Active));

        var weak = Add(playbook, "a situation about tax returns", "file early", failures: 5).Entry;
        var middling = Add(playbook, "a situation about car repairs", "call the garage", successes: 1, failures: 1).Entry;

        Assert.Equal(10, playbook.Entries.Count(e => e.Status == EntryStatus.Active));
        Assert.Equal(EntryStatus.Retired, playbook.Find(weak.Id)!.Status);
        Assert.Equal(EntryStatus.Retired, playbook.Find(middling.Id)!.Status);
        Assert.Equal(EntryStatus.Active, playbook.Find(owner.Id)!.Status);
        Assert.All(strong.Take(8), e => Assert.Equal(EntryStatus.Active, playbook.Find(e.Id)!.Status));
    }

    [Fact]
    public void ApplyFeedback_FixOnChatTurn_CorrectionSelectedNextTime()
    {
        var playbook = New();
        const string situation = "Remind me what I have on tomorrow";
        var vector = miniLm.Embed(situation);
        var before = playbook.Select(situation, vector, Now);
        Assert.Empty(before.Entries);

        playbook.ApplyFeedback(before.EpisodeId, new Feedback(FeedbackKind.Fix, "List tomorrow's calendar events with their times"), vector, Now);
        var after = playbook.Select(situation, vector, Now.AddMinutes(1));

        var chosen = Assert.Single(after.Entries);
        Assert.Equal("List tomorrow's calendar events with their times", chosen.Advice);
        Assert.InRange(chosen.Propensity, 0.01, 1.0);
        Assert.Equal(EntryOrigin.Correction, playbook.Find(chosen.EntryId)!.Origin);
    }

    [Fact]
    public void ApplyFeedback_GoodAndBad_CreditTheEntriesUsed()
    {
        var playbook = New();
        var entry = Add(playbook, "When the owner asks for a recipe", "Ask about allergies first").Entry;
        var vector = miniLm.Embed("When the owner asks for a recipe");

        var good = playbook.Select("When the owner asks for a recipe", vector, Now);
        playbook.ApplyFeedback(good.EpisodeId, new Feedback(FeedbackKind.Good), vector, Now);
        var bad = playbook.Select("When the owner asks for a recipe", vector, Now);
        playbook.ApplyFeedback(bad.EpisodeId, new Feedback(FeedbackKind.Bad), vector, Now);
        var again = playbook.ApplyFeedback(bad.EpisodeId, new Feedback(FeedbackKind.Good), vector, Now);

        var credited = playbook.Find(entry.Id)!;
        Assert.Equal(1, credited.Successes);
        Assert.Equal(1, credited.Failures);
        Assert.Equal(2, credited.Uses);
        Assert.False(again.Applied);
        Assert.Equal(1.0, playbook.FindEpisode(good.EpisodeId)!.Reward);
        Assert.Equal(0.0, playbook.FindEpisode(bad.EpisodeId)!.Reward);
    }

    [Fact]
    public void Select_KnownBadEntry_IsLeftOut()
    {
        var playbook = New();
        Add(playbook, "When the owner asks for a joke", "Tell a long pun", failures: 8);

        var selection = playbook.Select("When the owner asks for a joke", miniLm.Embed("When the owner asks for a joke"), Now);

        Assert.Empty(selection.Entries);
    }

    [Fact]
    public void ApplyDeltas_MixedProposals_AppliesValidOnesAndRejectsTheRest()
    {
        var playbook = New();
        var existing = Add(playbook, "When the owner plans a trip", "Check the passport expiry date").Entry;
        var owners = Add(playbook, "When the owner writes to family", "Keep it short", origin: EntryOrigin.Owner).Entry;
        PlaybookDelta[] deltas =
        [
            new(PlaybookDeltaKind.Add, null, "When the owner books a restaurant", "Mention dietary needs", null),
            new(PlaybookDeltaKind.Add, null, "When the owner plans a trip.", "Check the passport expiry date.", null),
            new(PlaybookDeltaKind.Edit, existing.Id, null, "Check passport and visa requirements", null),
            new(PlaybookDeltaKind.Retire, owners.Id, null, null, null),
            new(PlaybookDeltaKind.Retire, "e999", null, null, null),
            new(PlaybookDeltaKind.Add, null, "", "", null),
        ];

        var result = playbook.ApplyDeltas(deltas.Select(d => (d, string.IsNullOrEmpty(d.Situation) ? null : miniLm.Embed(d.Situation))).ToList(), Now);

        Assert.Equal(new ReflectionResult(1, 1, 1, 0, 3), result);
        Assert.Equal("Check passport and visa requirements", playbook.Find(existing.Id)!.Advice);
        Assert.Equal(EntryStatus.Active, playbook.Find(owners.Id)!.Status);
    }

    private static Playbook New(PlaybookOptions? options = null) => new(new PlaybookState(), options ?? new PlaybookOptions(), new Random(11));

    private (PlaybookEntry Entry, bool Merged) Add(Playbook playbook, string situation, string advice, double successes = 0, double failures = 0, EntryOrigin origin = EntryOrigin.Learned) =>
        playbook.AddOrMerge(new NewEntry(situation, advice, null, successes, failures, origin), miniLm.Embed(situation), Now);
}
