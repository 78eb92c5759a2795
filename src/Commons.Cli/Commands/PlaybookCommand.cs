using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Personal.Hosting;
using Humanizer;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary><c>commons playbook list|show|add|edit|retire|export</c>: the owner sees and edits what the agent learned.</summary>
internal static class PlaybookCommand
{
    // Enum names ("Active", "Correction"), not their numbers: the export is for people and other tools to read.
    private static readonly JsonSerializerOptions ExportJson = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var playbook = new Command("playbook", "See and edit what your agent has learned.");
        playbook.Subcommands.Add(List());
        playbook.Subcommands.Add(Show());
        playbook.Subcommands.Add(Add());
        playbook.Subcommands.Add(Edit());
        playbook.Subcommands.Add(Retire());
        playbook.Subcommands.Add(Export());
        return playbook;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Include retired entries." };
        var command = new Command("list", "List the playbook's entries.") { all };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            var entries = await p.ListEntriesAsync(parse.GetValue(all));
            if (entries.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]The playbook is empty. Feedback in chat (/good, /bad, /fix) fills it.[/]");
                return 0;
            }

            var table = new Table().AddColumns("id", "status", "origin", "for", "against", "used", "when", "do");
            foreach (var e in entries)
            {
                table.AddRow(e.Id, e.Status.ToString(), e.Origin.ToString(), Count(e.Successes + e.PriorSuccesses), Count(e.Failures + e.PriorFailures),
                    e.Uses.ToString(CultureInfo.InvariantCulture), Markup.Escape(Shorten(e.Situation)), Markup.Escape(Shorten(Describe(e))));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(EvidenceLegend)}[/]");
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Entry id, e.g. e12." };
        var command = new Command("show", "Show one entry in full.") { id };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            var entry = await p.GetEntryAsync(parse.GetValue(id)!) ?? throw NoSuchEntry(parse.GetValue(id)!);
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("id", entry.Id);
            grid.AddRow("status", entry.Status.ToString());
            grid.AddRow("origin", entry.Origin.ToString() + (entry.Source is null ? "" : $" ({Markup.Escape(entry.Source)})"));
            grid.AddRow("when", Markup.Escape(entry.Situation));
            grid.AddRow("advice", Markup.Escape(entry.Advice));
            grid.AddRow("action", Markup.Escape(entry.Action ?? "-"));
            grid.AddRow("evidence for / against", Markup.Escape(Evidence(entry)));
            grid.AddRow("estimated success", entry.Mean.ToString("P0", CultureInfo.InvariantCulture));
            grid.AddRow("used", $"in {"reply".ToQuantity(entry.Uses)}");
            grid.AddRow("created / updated", $"{entry.Created:yyyy-MM-dd HH:mm} / {entry.Updated:yyyy-MM-dd HH:mm}");
            if (entry.Note is not null)
            {
                grid.AddRow("note", Markup.Escape(entry.Note));
            }

            AnsiConsole.Write(grid);
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var when = new Option<string>("--when") { Description = "The situation the entry applies to.", Required = true };
        var advice = new Option<string?>("--advice") { Description = "What the agent should do." };
        var action = new Option<string?>("--action") { Description = "The tool or action to take." };
        var command = new Command("add", "Add an entry of your own (never retired by the size cap).") { when, advice, action };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(advice)) && string.IsNullOrWhiteSpace(parse.GetValue(action)))
            {
                throw new CommonsException("Give --advice or --action (or both).");
            }

            var entry = await p.AddEntryAsync(parse.GetValue(when)!, parse.GetValue(advice) ?? "", parse.GetValue(action));
            AnsiConsole.MarkupLine($"Added {entry.Id}.");
            return 0;
        }));
        return command;
    }

    private static Command Edit()
    {
        var id = new Argument<string>("id") { Description = "Entry id." };
        var advice = new Option<string?>("--advice") { Description = "New advice text." };
        var action = new Option<string?>("--action") { Description = "New action (empty to remove it)." };
        var command = new Command("edit", "Change an entry's advice or action; its counters stay.") { id, advice, action };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            if (parse.GetValue(advice) is null && parse.GetValue(action) is null)
            {
                throw new CommonsException("Give --advice and/or --action to change.");
            }

            if (!await p.EditEntryAsync(parse.GetValue(id)!, parse.GetValue(advice), parse.GetValue(action)))
            {
                throw NoSuchEntry(parse.GetValue(id)!);
            }

            AnsiConsole.MarkupLine($"Updated {Markup.Escape(parse.GetValue(id)!)}.");
            return 0;
        }));
        return command;
    }

    private static Command Retire()
    {
        var id = new Argument<string>("id") { Description = "Entry id." };
        var command = new Command("retire", "Stop using an entry (it is kept, marked retired).") { id };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            if (!await p.RetireEntryAsync(parse.GetValue(id)!))
            {
                throw NoSuchEntry(parse.GetValue(id)!);
            }

            AnsiConsole.MarkupLine($"Retired {Markup.Escape(parse.GetValue(id)!)}.");
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output (never overwrites)." };
        var command = new Command("export", "Export every entry as JSON.") { output };
        command.SetAction((parse, ct) => WithPlaybookAsync(ct, async p =>
        {
            var json = JsonSerializer.Serialize(await p.ListEntriesAsync(includeRetired: true), ExportJson);
            var path = parse.GetValue(output);
            if (path is null)
            {
                Console.Out.WriteLine(json);
                return 0;
            }

            if (File.Exists(path))
            {
                throw new CommonsException($"The file {path} already exists; choose another name.");
            }

            await File.WriteAllTextAsync(path, json, ct);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(path))}.");
            return 0;
        }));
        return command;
    }

    private static async Task<int> WithPlaybookAsync(CancellationToken cancellationToken, Func<IPlaybookGrain, Task<int>> action)
    {
        await using var silo = await QuietSilo.StartAsync(null, cancellationToken);
        return await action(silo.Playbook);
    }

    private static CommonsException NoSuchEntry(string id) => new($"There is no active playbook entry {id}; see 'commons playbook list'.");

    private static string Describe(PlaybookEntry e) => e.Action is null ? e.Advice : (e.Advice.Length == 0 ? $"→ {e.Action}" : $"{e.Advice} → {e.Action}");

    /// <summary>
    /// What the counters are: evidence about whether the entry's advice or action is right, not how
    /// often it was used. An entry can hold evidence before its first use: a /fix is the owner saying
    /// so (it counts as two outcomes), and an action entry is credited by feedback on the replies that took its action.
    /// </summary>
    private const string EvidenceLegend =
        "for / against: the evidence that an entry is right (feedback on replies it shaped or that took its action; a /fix counts as 2 for; imported evidence is discounted). used: replies it shaped.";

    private static string Evidence(PlaybookEntry entry)
    {
        var own = $"{Count(entry.Successes)} / {Count(entry.Failures)}";
        var sources = new List<string>();
        if (entry.Origin == EntryOrigin.Correction)
        {
            sources.Add("your correction counts as 2 for");
        }

        if (entry.PriorSuccesses + entry.PriorFailures > 0)
        {
            sources.Add($"plus {Count(entry.PriorSuccesses)} / {Count(entry.PriorFailures)} imported, discounted");
        }

        return sources.Count == 0 ? own : $"{own} ({string.Join("; ", sources)})";
    }

    private static string Count(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..59] + "…";
}
