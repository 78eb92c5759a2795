using System.Text;
using System.Text.RegularExpressions;
using Commons.Privacy.Policies;

namespace Commons.Privacy.Redaction;

/// <summary>
/// Replaces every word outside the policy's shared vocabulary. Words that look like names by their
/// capitals (mid-sentence, or all capitals) are replaced even when the vocabulary has them, so
/// "Call Rose" loses "Rose" while "a rose" keeps it; generic place words become a place placeholder.
/// </summary>
internal static partial class VocabularyGate
{
    public static string Apply(string text, VocabularyRule rule, List<Replacement> replacements)
    {
        var caseCues = text.Any(char.IsLower);
        var output = new StringBuilder(text.Length);
        var position = 0;
        foreach (Match token in Token().Matches(text))
        {
            var gap = text[position..token.Index];
            output.Append(gap);
            position = token.Index + token.Length;
            var word = token.Value;
            if (word.StartsWith('['))
            {
                output.Append(word);
                continue;
            }

            var sentenceStart = token.Index == 0 || StartsSentence(gap);
            var placeholder = Classify(word, sentenceStart, caseCues, rule);
            if (placeholder is null)
            {
                output.Append(word);
                continue;
            }

            output.Append(placeholder);
            replacements.Add(new Replacement(VocabularyRule.Id, rule.Location, word, placeholder));
        }

        output.Append(text.AsSpan(position));
        return output.ToString();
    }

    /// <summary>The placeholder for a word, or null when the word may leave.</summary>
    public static string? Classify(string word, bool sentenceStart, bool caseCues, VocabularyRule rule)
    {
        var lower = word.ToLowerInvariant().Replace('\u2019', '\'');
        var isPronounI = lower == "i" || lower.StartsWith("i'", StringComparison.Ordinal);
        if (lower.All(char.IsAsciiDigit))
        {
            return lower.Length <= rule.MaxNumberDigits ? null : rule.NumberReplacement;
        }

        if (Ordinal().IsMatch(lower))
        {
            return lower.Length - 2 <= rule.MaxNumberDigits ? null : rule.NumberReplacement;
        }

        var stem = lower.EndsWith("'s", StringComparison.Ordinal) ? lower[..^2] : lower;
        if (rule.Capitalised.Contains(word) || rule.Capitalised.Contains(word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word))
        {
            return null;
        }

        if (rule.PlaceWords.Contains(stem) || stem.EndsWith('s') && rule.PlaceWords.Contains(stem[..^1]))
        {
            return rule.PlaceReplacement;
        }

        if (caseCues && word.Length > 1 && word.All(c => !char.IsLetter(c) || char.IsUpper(c)) && word.Any(char.IsLetter))
        {
            return rule.NameReplacement;
        }

        if (!rule.Words.Contains(lower) && !rule.Words.Contains(stem))
        {
            return caseCues && char.IsUpper(word[0]) && !sentenceStart && !isPronounI ? rule.NameReplacement : rule.WordReplacement;
        }

        if (caseCues && char.IsUpper(word[0]) && !sentenceStart && !isPronounI)
        {
            return rule.NameReplacement;
        }

        return null;
    }

    private static bool StartsSentence(string gap) => gap.AsSpan().IndexOfAny(".!?:;,\"\u201c(\n") >= 0;

    [GeneratedRegex("\\[[A-Z_]+\\](?:['\u2019]s)?|[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}\\p{N}]+)*")]
    private static partial Regex Token();

    [GeneratedRegex("^[0-9]+(st|nd|rd|th)$")]
    private static partial Regex Ordinal();
}
