using Commons.Insights;

namespace Commons.Community.Tests;

/// <summary>Signed artifacts for tests.</summary>
internal static class Artifacts
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    public static InsightArtifact Sign(ContributorKey key, string topic, string situation, string advice, long successes = 8, long failures = 2, int second = 0,
        InsightKind kind = InsightKind.Playbook) =>
        InsightSigner.Sign(new InsightDraft(kind, topic, situation, advice, null,
            new InsightEvidence(successes, failures, InsightEvidence.DiscreteLaplace, 1.0),
            new PolicyReference("default", new string('0', 64)), Start.AddSeconds(second), Start.AddDays(30)), key);
}
