namespace Commons.Abstractions.Learning;

/// <summary>
/// A rule from the owner's policy that no imported insight may override: actions it may never
/// recommend, phrases its advice may not contain (for example "without asking"), and topics on which
/// imported insights are never acted on.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.GuardRail")]
public sealed record GuardRail(
    [property: Id(0)] string Name,
    [property: Id(1)] string Rule,
    [property: Id(2)] IReadOnlyList<string> BlockedActions,
    [property: Id(3)] IReadOnlyList<string> BlockedPhrases,
    [property: Id(4)] IReadOnlyList<string> BlockedTopics)
{
    /// <summary>Why an insight with these fields breaks this rule, or null when it does not (a null topic is not checked).</summary>
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
