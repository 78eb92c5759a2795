using System.Globalization;
using System.Text.RegularExpressions;

namespace Commons.Insights;

/// <summary>Field rules shared by the signer (refuses to build) and the parser (refuses to accept).</summary>
internal static partial class InsightValidation
{
    public static (InsightRejection Rejection, string Reason)? Check(InsightDraft draft, string contributor)
    {
        if (draft.Topic.Length > InsightLimits.MaxTopicLength)
        {
            return (InsightRejection.Oversize, $"topic is longer than {InsightLimits.MaxTopicLength} characters");
        }

        if (!TopicPattern().IsMatch(draft.Topic))
        {
            return (InsightRejection.InvalidField, "topic must be dot-separated lowercase names such as calendar.scheduling");
        }

        var text = CheckText("situation", draft.Situation, InsightLimits.MaxSituationLength, required: true)
            ?? CheckText("advice", draft.Advice, InsightLimits.MaxAdviceLength, required: false)
            ?? CheckText("action", draft.Action, InsightLimits.MaxActionLength, required: false);
        if (text is not null)
        {
            return text;
        }

        if (draft.Advice is null && draft.Action is null)
        {
            return (InsightRejection.MissingField, "an artifact needs advice or action (or both)");
        }

        var evidence = draft.Evidence;
        if (evidence.Successes is < 0 or > InsightLimits.MaxCount || evidence.Failures is < 0 or > InsightLimits.MaxCount)
        {
            return (InsightRejection.InvalidField, $"evidence counts must be whole numbers from 0 to {InsightLimits.MaxCount}");
        }

        if (evidence.Mechanism != InsightEvidence.DiscreteLaplace)
        {
            return (InsightRejection.InvalidField, $"evidence.mechanism must be \"{InsightEvidence.DiscreteLaplace}\"");
        }

        if (!double.IsFinite(evidence.Epsilon) || evidence.Epsilon < InsightLimits.MinEpsilon || evidence.Epsilon > InsightLimits.MaxEpsilon)
        {
            return (InsightRejection.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"evidence.epsilon must be from {InsightLimits.MinEpsilon} to {InsightLimits.MaxEpsilon}"));
        }

        if (draft.Policy.Id.Length > InsightLimits.MaxPolicyIdLength)
        {
            return (InsightRejection.Oversize, $"policy.id is longer than {InsightLimits.MaxPolicyIdLength} characters");
        }

        if (!PolicyIdPattern().IsMatch(draft.Policy.Id))
        {
            return (InsightRejection.InvalidField, "policy.id must be letters, digits, '.', '_' or '-'");
        }

        if (!HexHashPattern().IsMatch(draft.Policy.Hash))
        {
            return (InsightRejection.InvalidField, "policy.hash must be 64 lowercase hex digits");
        }

        if (!ContributorKey.IsWellFormedKeyId(contributor))
        {
            return (InsightRejection.InvalidField, "contributor must be ed25519: followed by a base64url public key");
        }

        if (draft.Created.Offset != TimeSpan.Zero || draft.Expires.Offset != TimeSpan.Zero
            || draft.Created.Ticks % TimeSpan.TicksPerSecond != 0 || draft.Expires.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return (InsightRejection.InvalidField, "created and expires must be UTC times in whole seconds");
        }

        if (draft.Expires <= draft.Created || draft.Expires - draft.Created > InsightLimits.MaxLifetime)
        {
            return (InsightRejection.InvalidField, $"expires must be after created and at most {InsightLimits.MaxLifetime.TotalDays} days later");
        }

        return null;
    }

    public static bool IsHexHash(string text) => HexHashPattern().IsMatch(text);

    private static (InsightRejection, string)? CheckText(string field, string? value, int max, bool required)
    {
        if (value is null)
        {
            return required ? (InsightRejection.MissingField, $"{field} is missing") : null;
        }

        if (value.Length > max)
        {
            return (InsightRejection.Oversize, $"{field} is longer than {max} characters");
        }

        if (value.Trim().Length == 0)
        {
            return (InsightRejection.InvalidField, $"{field} is empty");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (!pair && (char.IsControl(c) || char.IsSurrogate(c)))
            {
                return (InsightRejection.InvalidField, $"{field} contains a control or unpaired surrogate character");
            }

            // Format characters (Cf: bidi overrides and isolates, zero-width joiners and spaces, the BOM,
            // the tag characters U+E0000-U+E007F) are invisible to the person who approves an artifact
            // but not to the model whose prompt it ends up in: a path to smuggle instructions.
            if (CharUnicodeInfo.GetUnicodeCategory(value, i) == UnicodeCategory.Format)
            {
                var codePoint = char.ConvertToUtf32(value, i);
                return (InsightRejection.InvalidField, string.Create(CultureInfo.InvariantCulture,
                    $"{field} contains the invisible formatting character U+{codePoint:X4} at position {i} (bidi controls, zero-width characters, byte order marks and tag characters are not allowed)"));
            }

            if (pair)
            {
                i++;
            }
        }

        return null;
    }

    public static bool IsTopic(string? topic) =>
        topic is not null && topic.Length <= InsightLimits.MaxTopicLength && TopicPattern().IsMatch(topic);

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex TopicPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex PolicyIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexHashPattern();
}
