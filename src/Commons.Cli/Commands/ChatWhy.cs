using System.Globalization;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Learning;

namespace Commons.Cli.Commands;

/// <summary><c>/why</c> in the chat: the action the playbook chose for the last reply, its probability, and every entry that shaped it.</summary>
internal static class ChatWhy
{
    public static async Task ShowAsync(IPersonalAgentGrain agent)
    {
        if (await agent.ExplainLastTurnAsync() is not { } why)
        {
            Console.Out.WriteLine("Nothing to explain yet: no reply of this conversation was shaped by what the agent learned.");
            return;
        }

        // Plain lines, unwrapped: a person reads them whole, and so do scripts.
        Console.Out.WriteLine(why.Action is null
            ? "why: no action was chosen for that reply"
            : string.Create(CultureInfo.InvariantCulture, $"why: action {why.Action}, chosen with probability {why.Propensity ?? 1:0.00}"));
        if (why.Entries.Count == 0)
        {
            Console.Out.WriteLine("  nothing the agent learned applied to it");
        }

        foreach (var entry in why.Entries)
        {
            var origin = entry.Origin == EntryOrigin.Imported
                ? $"imported from {entry.Pool}{(entry.UnderTrial ? ", on trial" : "")}"
                : $"your own ({entry.Origin.ToString().ToLowerInvariant()})";
            var role = entry.InPrompt
                ? string.Create(CultureInfo.InvariantCulture, $"in the prompt with probability {entry.Propensity ?? 1:0.00}")
                : "backed the action";
            var what = entry.Advice.Length > 0 ? entry.Advice : "do " + entry.Action;
            Console.Out.WriteLine($"  {entry.EntryId} {origin}, {role}: when \"{entry.Situation}\" → {what}");
        }
    }
}
