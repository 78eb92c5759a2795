using Commons.Community.Service;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;
using Commons.Tests.Shared;

namespace Commons.Community.Tests;

/// <summary>The one rule a pool and a member's agent both run on an artifact against a pool's policy.</summary>
public sealed class PoolPolicyCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("commons-policy-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PoolPolicyDocument Describe(PolicySet rules, int maxLifetimeDays = 90) =>
        PoolGovernance.Describe(rules, "pool", "ed25519:" + new string('A', 43), null, 1, DateTimeOffset.UtcNow, null, 3, maxLifetimeDays, 3);

    private static InsightArtifact Artifact(PolicySet rules, string advice, int days = 30)
    {
        using var key = ContributorKey.Create();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return InsightSigner.Sign(new InsightDraft(InsightKind.Playbook, "weather.queries", Redactor.Redact("the person asks about the weather", rules.Redaction).Text,
            advice, null, new InsightEvidence(5, 1, InsightEvidence.DiscreteLaplace, 0.5), rules.Reference, now, now.AddDays(days)), key);
    }

    [Fact]
    public void Check_LivesLongerThanThePoolTakes_IsRefused()
    {
        var rules = PolicySet.Load(PolicyFolder.Shipped);

        var refusal = PoolPolicyCheck.Check(Artifact(rules, Redactor.Redact("give the forecast", rules.Redaction).Text, days: 60), Describe(rules, maxLifetimeDays: 30), rules.Redaction);

        Assert.Equal("lifetime", refusal?.Code);
        Assert.Contains("at most 30", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AWordOutsideTheVocabulary_IsRefusedNamingTheRuleNotTheWord()
    {
        var rules = PolicySet.Load(PolicyFolder.Shipped);

        var refusal = PoolPolicyCheck.Check(Artifact(rules, "ask Zorblatt about the forecast"), Describe(rules), rules.Redaction);

        Assert.Equal("leak-check", refusal?.Code);
        Assert.DoesNotContain("Zorblatt", refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compatible_AMemberWhoseVocabularyDiffers_CannotPredictThePoolAndIsTold()
    {
        var pool = PolicySet.Load(PolicyFolder.Shipped);
        var mine = PolicyFolder.CopyShipped(Path.Combine(_folder, "mine"));
        var words = Directory.EnumerateFiles(mine, "words.txt", SearchOption.AllDirectories).Single();
        File.AppendAllText(words, "zorblatt\n");

        var refusal = PoolPolicyCheck.Compatible(Describe(pool), PolicySet.Load(mine).Redaction);

        Assert.Equal("redaction", refusal?.Code);
        Assert.Null(PoolPolicyCheck.Compatible(Describe(pool), pool.Redaction));
    }
}
