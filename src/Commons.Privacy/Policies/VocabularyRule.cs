namespace Commons.Privacy.Policies;

/// <summary>
/// The vocabulary gate: every word outside the shared vocabulary is replaced. Generic place words
/// become a place placeholder, long numbers a number placeholder, and words that look like names by
/// their capitals (mid-sentence, or all capitals) a name placeholder.
/// </summary>
public sealed record VocabularyRule(
    IReadOnlySet<string> Words,
    IReadOnlySet<string> PlaceWords,
    IReadOnlySet<string> Capitalised,
    int MaxNumberDigits,
    string WordReplacement,
    string NameReplacement,
    string PlaceReplacement,
    string NumberReplacement,
    PolicyLocation Location,
    IReadOnlyList<PolicyExample> Examples)
{
    /// <summary>The rule id used in explanations and test output.</summary>
    public const string Id = "vocabulary";
}
