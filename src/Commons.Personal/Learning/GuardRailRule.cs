using Commons.Abstractions.Learning;
using Commons.Privacy.Policies;

namespace Commons.Personal.Learning;

/// <summary>
/// One guard-rail of <c>guardrails.yaml</c>: actions an imported insight may never recommend, phrases
/// it may not contain, and topics on which imported insights are never acted on.
/// </summary>
public sealed record GuardRailRule(
    string Id,
    string Rule,
    IReadOnlyList<string> BlockedActions,
    IReadOnlyList<string> BlockedPhrases,
    IReadOnlyList<string> BlockedTopics,
    PolicyLocation Location)
{
    /// <summary>The rule as the playbook engine checks it.</summary>
    public GuardRail Contract { get; } = new(Id, Rule, BlockedActions, BlockedPhrases, BlockedTopics);

    /// <summary>Why an insight with these fields breaks this rule, or null when it does not.</summary>
    public string? Breach(string? topic, string situation, string advice, string? action) => Contract.Breach(topic, situation, advice, action);
}
