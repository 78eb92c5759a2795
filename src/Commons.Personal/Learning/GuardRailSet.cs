using Commons.Abstractions.Learning;

namespace Commons.Personal.Learning;

/// <summary>The owner's guard-rails as loaded from <c>guardrails.yaml</c>, with the file's content hash.</summary>
public sealed record GuardRailSet(string File, string Hash, IReadOnlyList<GuardRailRule> Rules)
{
    /// <summary>The file name in the policies folder.</summary>
    public const string FileName = "guardrails.yaml";

    /// <summary>The rules as the playbook engine checks them.</summary>
    public IReadOnlyList<GuardRail> Contracts { get; } = [.. Rules.Select(r => r.Contract)];

    /// <summary>The first rule an insight breaks, and why; null when it breaks none.</summary>
    public (GuardRailRule Rule, string Why)? FirstBreach(string? topic, string situation, string advice, string? action)
    {
        foreach (var rule in Rules)
        {
            if (rule.Breach(topic, situation, advice, action) is { } why)
            {
                return (rule, why);
            }
        }

        return null;
    }

    /// <summary>The sentence recorded as the reason of a rejection.</summary>
    public static string Describe(GuardRailRule rule, string why) => $"contradicts the guard-rail '{rule.Id}' ({rule.Rule}): {why}";
}
