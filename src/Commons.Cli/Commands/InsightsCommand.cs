using System.CommandLine;
using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons insights staged|adopted|rejected</c> and <c>commons insights adopt|reject ID</c>: the owner
/// sees what was imported from pools, why each was adopted or not and the figures behind it, and overrides.
/// </summary>
internal static class InsightsCommand
{
    public static Command Create()
    {
        var insights = new Command("insights", "See and decide on insights imported from pools.");
        insights.Subcommands.Add(List("staged", "Imported insights still being verified (waiting, or on trial).", ImportDecision.Waiting, ImportDecision.Trial));
        insights.Subcommands.Add(List("adopted", "Imported insights your agent uses.", ImportDecision.Adopted));
        insights.Subcommands.Add(List("rejected", "Imported insights rejected (by the figures, a guard-rail or you) or retired.", ImportDecision.Rejected, ImportDecision.Retired));
        insights.Subcommands.Add(Override("adopt", "Adopt an imported insight whatever the figures say (a guard-rail still blocks it).", adopt: true));
        insights.Subcommands.Add(Override("reject", "Reject an imported insight: it is retired and never used.", adopt: false));
        return insights;
    }

    private static Command List(string name, string description, params ImportDecision[] decisions)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, ct) =>
        {
            await using var silo = await QuietSilo.StartAsync(null, ct);
            var reviews = (await silo.Playbook.ListImportReviewsAsync()).Where(r => decisions.Contains(r.Decision)).ToList();
            if (reviews.Count == 0)
            {
                Console.Out.WriteLine($"No {name} insights.");
                return 0;
            }

            foreach (var review in reviews)
            {
                var entry = review.EntryId.StartsWith('e') ? await silo.Playbook.GetEntryAsync(review.EntryId) : null;
                Write(review, entry);
            }

            return 0;
        });
        return command;
    }

    private static Command Override(string name, string description, bool adopt)
    {
        var id = new Argument<string>("ID") { Description = "The insight's id, as the lists show it (e12, b1)." };
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, ct) =>
        {
            var entryId = parse.GetValue(id)!.Trim();
            await using var silo = await QuietSilo.StartAsync(null, ct);
            var result = await silo.Playbook.OverrideImportAsync(entryId, adopt);
            if (!result.Applied)
            {
                throw new CommonsException(Sentence(result.Message + (result.Review is null ? "; see 'commons insights staged'" : "")));
            }

            Console.Out.WriteLine(Sentence(result.Message));
            return 0;
        });
        return command;
    }

    private static void Write(ImportReview review, PlaybookEntry? entry)
    {
        Console.Out.WriteLine($"{review.EntryId}  {review.Decision.ToString().ToLowerInvariant()}  from {review.Pool}/{Short(review.ArtifactId)}  contributor {Short(review.Contributor)}");
        if (entry is not null)
        {
            var what = entry.Action is null ? entry.Advice : (entry.Advice.Length == 0 ? $"-> {entry.Action}" : $"{entry.Advice} -> {entry.Action}");
            Console.Out.WriteLine($"  when: {entry.Situation}");
            Console.Out.WriteLine($"  do:   {what}");
        }

        Console.Out.WriteLine($"  why:  {review.Reason}");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  figures: insight value {Percent(review.InsightValue)} (bounds {Percent(review.InsightLower)} to {Percent(review.InsightUpper)}), current value {Percent(review.CurrentValue)}, effective episodes {review.EffectiveEpisodes:0.#}, trials {review.Trials} ({review.TrialSuccesses} worked)"));
        Console.Out.WriteLine($"  decided: {review.Decided.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "-";

    private static string Short(string text) => text.Length <= 16 ? text : text[..16] + "…";

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");
}
