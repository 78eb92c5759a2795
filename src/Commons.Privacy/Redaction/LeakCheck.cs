using Commons.Privacy.Policies;

namespace Commons.Privacy.Redaction;

/// <summary>
/// The last check before noise and signing: redacted text must be a fixed point of the redactor.
/// If any detector, known entity or the vocabulary gate would still change it, something private remains.
/// </summary>
public static class LeakCheck
{
    /// <summary>Checks text that is about to leave; the reason names the rule, never the private value.</summary>
    public static LeakCheckResult Check(string text, RedactionPolicy policy, KnownEntities? known = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        var again = Redactor.Redact(text, policy, known);
        if (again.Replacements.Count == 0 && again.Text == text)
        {
            return LeakCheckResult.Passed;
        }

        var first = again.Replacements.Count > 0 ? again.Replacements[0] : null;
        return new LeakCheckResult(false, first is null
            ? "the redacted text changes when redacted again"
            : $"rule '{first.RuleId}' ({first.RuleLocation}) still finds something to replace with {first.Placeholder}");
    }
}
