namespace Commons.Insights;

/// <summary>
/// The content of an artifact before it is signed: everything except <c>id</c>, <c>contributor</c> and
/// <c>signature</c>. At least one of <see cref="Advice"/> and <see cref="Action"/> is set.
/// </summary>
public sealed record InsightDraft(
    InsightKind Kind,
    string Topic,
    string Situation,
    string? Advice,
    string? Action,
    InsightEvidence Evidence,
    PolicyReference Policy,
    DateTimeOffset Created,
    DateTimeOffset Expires);
