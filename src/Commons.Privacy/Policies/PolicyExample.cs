namespace Commons.Privacy.Policies;

/// <summary>
/// One example a rule carries: an input and the exact output the policy must produce.
/// Redaction examples may list known entities; sharing examples give a topic and local evidence.
/// </summary>
public sealed record PolicyExample(
    string RuleId,
    PolicyLocation Location,
    string Input,
    string Expected,
    IReadOnlyList<KnownEntitySpec> Known,
    long Evidence);
