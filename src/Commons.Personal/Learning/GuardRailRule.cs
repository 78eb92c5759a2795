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
    /// <summary>The part the playbook engine checks itself (actions and phrases).</summary>
    public GuardRail ToContract() => new(Id, Rule, BlockedActions, BlockedPhrases);

    /// <summary>Why an insight with these fields breaks this rule, or null when it does not.</summary>
    public string? Breach(string? topic, string situation, string advice, string? action)
    {
        if (topic is not null && BlockedTopics.FirstOrDefault(t => topic == t || topic.StartsWith(t + ".", StringComparison.Ordinal)) is { } blocked)
        {
            return $"its topic {topic} is one on which imported insights are never acted on ({blocked})";
        }

        if (action is not null && BlockedActions.Contains(action.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return $"it recommends the action '{action.Trim()}'";
        }

        var text = situation + " " + advice;
        var phrase = BlockedPhrases.FirstOrDefault(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
        return phrase is null ? null : $"its advice says '{phrase}'";
    }
}
