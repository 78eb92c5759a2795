using System.Text;
using System.Text.RegularExpressions;
using Commons.Privacy.Policies;

namespace Commons.Privacy.Redaction;

/// <summary>
/// Applies a redaction policy to text: the detectors in file order (each match confirmed by its
/// validator), then the person's known entities, then the vocabulary gate.
/// </summary>
public static class Redactor
{
    /// <summary>Redacts text; the result's text is exactly what would leave.</summary>
    public static RedactionResult Redact(string text, RedactionPolicy policy, KnownEntities? known = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        var replacements = new List<Replacement>();
        var current = text;
        foreach (var detector in policy.Detectors)
        {
            current = ApplyDetector(current, detector, replacements);
        }

        current = ApplyKnown(current, policy.KnownEntities, known ?? KnownEntities.None, replacements);
        current = VocabularyGate.Apply(current, policy.Vocabulary, replacements);
        return new RedactionResult(current, replacements);
    }

    /// <summary>Runs one detector only (used by the leak check to name what remains).</summary>
    public static IEnumerable<string> Matches(string text, DetectorRule detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        foreach (Match match in detector.Pattern.Matches(text))
        {
            if (match.Length > 0 && DetectorValidators.IsValid(detector.Validator, match.Value))
            {
                yield return match.Value;
            }
        }
    }

    private static string ApplyDetector(string text, DetectorRule detector, List<Replacement> replacements)
    {
        var output = new StringBuilder(text.Length);
        var position = 0;
        foreach (Match match in detector.Pattern.Matches(text))
        {
            if (match.Length == 0 || !DetectorValidators.IsValid(detector.Validator, match.Value))
            {
                continue;
            }

            output.Append(text, position, match.Index - position).Append(detector.Replacement);
            position = match.Index + match.Length;
            replacements.Add(new Replacement(detector.Id, detector.Location, match.Value, detector.Replacement));
        }

        return position == 0 ? text : output.Append(text, position, text.Length - position).ToString();
    }

    private static string ApplyKnown(string text, KnownEntitiesRule rule, KnownEntities known, List<Replacement> replacements)
    {
        var output = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (index, length, entity) in known.Find(text))
        {
            var placeholder = rule.ReplacementFor(entity.Kind);
            output.Append(text, position, index - position).Append(placeholder);
            position = index + length;
            replacements.Add(new Replacement(KnownEntitiesRule.Id, rule.Location, text.Substring(index, length), placeholder));
        }

        return position == 0 ? text : output.Append(text, position, text.Length - position).ToString();
    }
}
