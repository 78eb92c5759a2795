using Commons.Insights;

namespace Commons.Insights.Tests;

internal static class SampleArtifacts
{
    public static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static InsightDraft Draft(string situation = "When a meeting request arrives on a Friday afternoon") => new(
        InsightKind.Playbook,
        "calendar.scheduling",
        situation,
        "Offer two slots early next week instead of the same day.",
        "calendar.propose_slots",
        new InsightEvidence(12, 3, InsightEvidence.DiscreteLaplace, 0.5),
        new PolicyReference("commons-default", new string('a', 64)),
        Created,
        Created.AddDays(90));
}
