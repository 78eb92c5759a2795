using System.Globalization;
using Commons.Abstractions.Agents;

namespace Commons.Serve.OpenAi;

/// <summary>
/// A completion's id names its turn (<c>chatcmpl-INDEX-CONVERSATION</c>), so feedback on a reply id reaches
/// the turn it was given on without a table of ids.
/// </summary>
public static class CompletionIds
{
    private const string Prefix = "chatcmpl-";

    public static string Format(TurnReference turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{turn.Index}-{turn.ConversationId}");
    }

    public static bool TryParse(string? id, out TurnReference turn)
    {
        turn = new TurnReference("", -1);
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = id[Prefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !ConversationKeys.IsValid(rest[(dash + 1)..]))
        {
            return false;
        }

        turn = new TurnReference(rest[(dash + 1)..], index);
        return true;
    }
}
