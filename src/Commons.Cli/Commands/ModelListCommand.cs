using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Inference.Models;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary><c>commons model list [--available]</c>: the installed models, or the catalog.</summary>
internal static class ModelListCommand
{
    public static Command Create()
    {
        var available = new Option<bool>("--available", "-a") { Description = "List the catalog of models 'commons model pull' can download." };
        var command = new Command("list", "List the installed models (or, with --available, the catalog).");
        command.Options.Add(available);
        command.SetAction(parse =>
        {
            // Listing never creates the data folder.
            var store = ModelStore.ForHome(CommonsHome.FromEnvironment());
            if (parse.GetValue(available))
            {
                ShowCatalog(store);
            }
            else
            {
                ShowInstalled(store);
            }

            return 0;
        });
        return command;
    }

    private static void ShowInstalled(ModelStore store)
    {
        var installed = store.List();
        var defaultEntry = store.Catalog.Default;
        if (installed.Count == 0)
        {
            Console.Out.WriteLine($"No model is installed in {store.Folder}.");
            Console.Out.WriteLine(
                $"Get the default one ({ByteCount.Format(defaultEntry.Size)}) with: commons model pull {defaultEntry.Name}");
            AnsiConsole.MarkupLine("[grey]'commons model list --available' shows the others.[/]");
        }
        else
        {
            var table = new Table().AddColumns("Name", "File", "Size", "Catalog");
            table.Columns[2].RightAligned().NoWrap();
            foreach (var model in installed)
            {
                var match = model.Match switch
                {
                    CatalogMatch.Matches => "yes",
                    CatalogMatch.SizeDiffers => "[yellow]size differs from the catalog[/]",
                    _ => "[grey]not in the catalog[/]",
                };
                table.AddRow(Markup.Escape(model.Name), Markup.Escape(model.FileName), Markup.Escape(ByteCount.Format(model.Size)), match);
            }

            AnsiConsole.Write(table);
            Console.Out.WriteLine($"in {store.Folder}");
        }

        foreach (var partial in store.ListPartial())
        {
            var entry = partial.CatalogEntry;
            Console.Out.WriteLine(entry is null
                ? $"Unfinished download: {Path.GetFileName(partial.FilePath)} ({ByteCount.Format(partial.BytesDone)})."
                : $"Unfinished download of {entry.Name}: {ByteCount.Format(partial.BytesDone)} of {ByteCount.Format(entry.Size)}; 'commons model pull {entry.Name}' resumes it.");
        }
    }

    private static void ShowCatalog(ModelStore store)
    {
        // The description goes under the name so the table stays readable in 80 columns.
        var table = new Table().AddColumns("Model", "Size", "Licence", "Installed");
        table.Columns[1].RightAligned().NoWrap();
        table.Columns[2].Width(20);
        table.Columns[3].NoWrap();
        foreach (var entry in store.Catalog.Entries)
        {
            var name = $"[bold]{Markup.Escape(entry.Name)}[/]" + (entry == store.Catalog.Default ? " (default)" : string.Empty);
            table.AddRow(
                $"{name}\n[grey]{Markup.Escape(entry.Description)}[/]",
                Markup.Escape(ByteCount.Format(entry.Size)),
                Markup.Escape(entry.Licence),
                store.Resolve(entry.Name) is null ? string.Empty : "yes");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]Download one with: commons model pull NAME[/]");
    }
}
