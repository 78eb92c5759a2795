using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>
/// Asks the model for small playbook changes in a line format, and reads them back. Anything that
/// does not parse is ignored: a weak model simply proposes nothing.
/// </summary>
public static partial class ReflectionPrompt
{
    /// <summary>Largest number of episodes and entries shown to the model.</summary>
    public const int MaxShown = 12;

    public const string Instructions =
        "You maintain a short playbook of advice that helps an assistant serve its owner. " +
        "Propose at most three small changes, one per line, in exactly these forms:\n" +
        "ADD: <when this situation happens> => <what to do>\n" +
        "EDIT <entry id>: <better advice>\n" +
        "RETIRE <entry id>\n" +
        "Write nothing else. Write NONE if no change is needed.";

    /// <summary>The user message: recent episodes with their outcomes, and the current entries.</summary>
    public static string Build(IReadOnlyList<Episode> episodes, IReadOnlyList<PlaybookEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder("Recent requests and how the replies were judged:\n");
        foreach (var episode in episodes.Where(e => e.Reward is not null).TakeLast(MaxShown))
        {
            var verdict = episode.Reward >= 0.5 ? "good" : "bad";
            text.Append(CultureInfo.InvariantCulture, $"- \"{episode.Situation}\": {verdict}");
            if (episode.Correction is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"; the owner said it should have been: \"{episode.Correction}\"");
            }

            text.Append('\n');
        }

        text.Append("\nCurrent playbook:\n");
        foreach (var entry in entries.Where(e => e.Status == EntryStatus.Active).OrderByDescending(e => e.Updated).Take(MaxShown))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {entry.Id}: when {entry.Situation} => {entry.Advice} (worked {entry.Successes:0.#}, failed {entry.Failures:0.#})\n");
        }

        return text.ToString();
    }

    /// <summary>Reads the proposals out of the model's reply.</summary>
    public static List<PlaybookDelta> Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var deltas = new List<PlaybookDelta>();
        foreach (var raw in reply.Split('\n'))
        {
            var line = raw.Trim().TrimStart('-', '*', ' ');
            if (AddLine().Match(line) is { Success: true } add)
            {
                deltas.Add(new PlaybookDelta(PlaybookDeltaKind.Add, null, add.Groups[1].Value.Trim(), add.Groups[2].Value.Trim(), null));
            }
            else if (EditLine().Match(line) is { Success: true } edit)
            {
                deltas.Add(new PlaybookDelta(PlaybookDeltaKind.Edit, edit.Groups[1].Value, null, edit.Groups[2].Value.Trim(), null));
            }
            else if (RetireLine().Match(line) is { Success: true } retire)
            {
                deltas.Add(new PlaybookDelta(PlaybookDeltaKind.Retire, retire.Groups[1].Value, null, null, null));
            }
        }

        return deltas;
    }

    [GeneratedRegex(@"^ADD:\s*(.+?)\s*=>\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AddLine();

    [GeneratedRegex(@"^EDIT\s+(e\d+)\s*:\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EditLine();

    [GeneratedRegex(@"^RETIRE\s+(e\d+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RetireLine();
}
