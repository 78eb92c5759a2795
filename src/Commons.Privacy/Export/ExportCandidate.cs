using Commons.Insights;

namespace Commons.Privacy.Export;

/// <summary>A local playbook entry proposed for sharing, with its true (un-noised) outcome counts.</summary>
public sealed record ExportCandidate(
    InsightKind Kind,
    string Topic,
    string Situation,
    string? Advice,
    string? Action,
    long Successes,
    long Failures);
