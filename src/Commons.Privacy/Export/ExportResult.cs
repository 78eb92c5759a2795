using System.Diagnostics.CodeAnalysis;
using Commons.Insights;

namespace Commons.Privacy.Export;

/// <summary>
/// The pipeline's outcome: a refusal with its stage and reason (and the exception, for the log), or a
/// redacted, leak-checked, noised draft that is ready to sign once approved.
/// </summary>
public sealed record ExportResult(ExportStatus Status, string Stage, string? Reason, InsightDraft? Draft, Exception? Exception = null)
{
    /// <summary>True when a draft was produced (awaiting approval or approved).</summary>
    [MemberNotNullWhen(true, nameof(Draft))]
    public bool HasDraft => Status != ExportStatus.Refused && Draft is not null;

    internal static ExportResult Refuse(string stage, string reason, Exception? exception = null) => new(ExportStatus.Refused, stage, reason, null, exception);
}
