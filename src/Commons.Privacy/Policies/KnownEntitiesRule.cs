namespace Commons.Privacy.Policies;

/// <summary>
/// How the person's own known entities (contacts, names and places from their notes, calendar and
/// conversations) are replaced: a placeholder per kind.
/// </summary>
public sealed record KnownEntitiesRule(
    IReadOnlyList<string> Sources,
    IReadOnlyDictionary<string, string> Replacements,
    PolicyLocation Location,
    IReadOnlyList<PolicyExample> Examples)
{
    /// <summary>The rule id used in explanations and test output.</summary>
    public const string Id = "known_entities";

    /// <summary>The placeholder for a kind; unknown kinds use the <c>other</c> placeholder.</summary>
    public string ReplacementFor(string kind) =>
        Replacements.TryGetValue(kind, out var replacement) ? replacement : Replacements.GetValueOrDefault("other", "[ENTITY]");
}
