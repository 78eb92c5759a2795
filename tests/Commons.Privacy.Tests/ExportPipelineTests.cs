using Commons.Insights;
using Commons.Privacy.Export;
using Commons.Privacy.Noise;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;

namespace Commons.Privacy.Tests;

public sealed class ExportPipelineTests : IDisposable
{
    private readonly string _folder = ShippedPolicies.CopyToTemp();
    private readonly MemoryBudgetStore _budget = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, 500, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ExportCandidate Candidate(string topic = "calendar.scheduling") => new(
        InsightKind.Playbook, topic,
        "When Priya sends a meeting request on a Friday, mail priya@example.com",
        "Offer two slots early next week.", "calendar.propose_slots", 20, 4);

    private ExportPipeline Pipeline() => new(new PolicyProvider(_folder), _budget, new SeededRandomSource(1), _time);

    [Fact]
    public async Task PrepareAsync_AllowedTopic_ProducesRedactedNoisedDraftAwaitingApproval()
    {
        var known = new KnownEntities([new KnownEntity("person", "Priya")]);

        var result = await Pipeline().PrepareAsync(Candidate(), known, CancellationToken.None);

        Assert.Equal(ExportStatus.AwaitingApproval, result.Status);
        Assert.True(result.HasDraft);
        Assert.Equal("When [PERSON] sends a meeting request on a Friday, mail [EMAIL]", result.Draft.Situation);
        Assert.Equal(PolicySet.Load(_folder).Hash, result.Draft.Policy.Hash);
        Assert.Equal(0.5, result.Draft.Evidence.Epsilon);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), result.Draft.Created);
        Assert.Equal(0.5m, _budget.State.Spent);
        Assert.Equal(1, _budget.Saves);
    }

    [Fact]
    public async Task Seal_ApprovedDraft_IsAValidSignedArtifact()
    {
        using var key = ContributorKey.Create();
        var result = await Pipeline().PrepareAsync(Candidate("weather.queries"), KnownEntities.None, CancellationToken.None);

        var artifact = ExportPipeline.Seal(result, key);

        Assert.Equal(ExportStatus.Approved, result.Status);
        Assert.True(InsightArtifactParser.Parse(artifact.ToUtf8Bytes()).IsValid);
    }

    [Fact]
    public async Task PrepareAsync_BrokenPolicy_RefusesWithTheReason()
    {
        File.WriteAllText(Path.Combine(_folder, "redaction.yaml"), "version: 1\ndetectors: {\n");

        var result = await Pipeline().PrepareAsync(Candidate(), KnownEntities.None, CancellationToken.None);

        Assert.Equal(ExportStatus.Refused, result.Status);
        Assert.Equal("policy", result.Stage);
        Assert.Contains("redaction.yaml", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.Draft);
        Assert.Equal(0, _budget.Saves);
    }

    [Fact]
    public async Task PrepareAsync_MissingPolicyFolder_Refuses()
    {
        var pipeline = new ExportPipeline(new PolicyProvider(Path.Combine(_folder, "nope")), _budget, new SeededRandomSource(1), _time);

        var result = await pipeline.PrepareAsync(Candidate(), KnownEntities.None, CancellationToken.None);

        Assert.Equal(ExportStatus.Refused, result.Status);
    }

    [Fact]
    public async Task PrepareAsync_BudgetSpent_RefusesAndSignsNothing()
    {
        var pipeline = Pipeline();
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await pipeline.PrepareAsync(Candidate(), KnownEntities.None, CancellationToken.None)).HasDraft);
        }

        var result = await pipeline.PrepareAsync(Candidate(), KnownEntities.None, CancellationToken.None);

        Assert.Equal(ExportStatus.Refused, result.Status);
        Assert.Equal("budget", result.Stage);
        Assert.Contains("budget is spent", result.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ExportPipeline.Seal(result, ContributorKey.Create()));
    }

    [Theory]
    [InlineData("health.symptoms")]
    [InlineData("shopping.lists")]
    public async Task PrepareAsync_TopicNotShareable_RefusesWithoutSpending(string topic)
    {
        var result = await Pipeline().PrepareAsync(Candidate(topic), KnownEntities.None, CancellationToken.None);

        Assert.Equal("sharing", result.Stage);
        Assert.Equal(0m, _budget.State.Spent);
    }

    [Fact]
    public async Task PrepareAsync_GeneralizerLeaksPrivateText_IsStillRedacted()
    {
        var pipeline = new ExportPipeline(new PolicyProvider(_folder), _budget, new SeededRandomSource(1), _time, new EchoGeneralizer());

        var result = await pipeline.PrepareAsync(Candidate(), KnownEntities.None, CancellationToken.None);

        Assert.DoesNotContain("example.com", result.Draft!.Situation, StringComparison.Ordinal);
        Assert.DoesNotContain("4155552671", result.Draft.Situation, StringComparison.Ordinal);
    }

    private sealed class EchoGeneralizer : IInsightGeneralizer
    {
        public Task<string> GeneralizeAsync(string text, CancellationToken cancellationToken) => Task.FromResult(text + " call 4155552671");
    }
}
