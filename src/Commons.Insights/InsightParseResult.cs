using System.Diagnostics.CodeAnalysis;

namespace Commons.Insights;

/// <summary>The outcome of parsing an artifact: the artifact, or the rejection and a one-sentence reason.</summary>
public sealed record InsightParseResult(InsightArtifact? Artifact, InsightRejection? Rejection, string? Reason)
{
    /// <summary>True when the artifact passed every check.</summary>
    [MemberNotNullWhen(true, nameof(Artifact))]
    [MemberNotNullWhen(false, nameof(Rejection), nameof(Reason))]
    public bool IsValid => Artifact is not null;

    internal static InsightParseResult Accept(InsightArtifact artifact) => new(artifact, null, null);

    internal static InsightParseResult Reject(InsightRejection rejection, string reason) => new(null, rejection, reason);
}
