using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Inference.Gguf;
using Commons.Inference.Models;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary><c>commons model show|add|rm</c>: what an installed model is, registering a GGUF file from disk, removing one.</summary>
internal static class ModelManageCommands
{
    public static Command Show()
    {
        var name = new Argument<string>("name") { Description = "An installed model's name (see 'commons model list'), or the path of a .gguf file." };
        var command = new Command("show", "Show a model's architecture, size, quantisation, context, chat template and licence, read from its GGUF header.") { name };
        command.SetAction(parse =>
        {
            var store = Store();
            var given = parse.GetValue(name)!;
            var model = store.Resolve(given) is not null || !File.Exists(given) ? store.Get(given) : null;
            var path = model?.FilePath ?? Path.GetFullPath(given);
            var facts = GgufFacts.From(GgufReader.Read(path), model?.CatalogEntry);
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("name", Markup.Escape(model?.Name ?? Path.GetFileNameWithoutExtension(path)));
            grid.AddRow("file", Markup.Escape(path));
            grid.AddRow("architecture", Markup.Escape(facts.Architecture));
            grid.AddRow("parameters", Markup.Escape(facts.Parameters));
            grid.AddRow("size", Markup.Escape(facts.FileSize));
            grid.AddRow("quantisation", Markup.Escape(facts.Quantisation));
            grid.AddRow("context", Markup.Escape(facts.Context));
            grid.AddRow("chat template", Markup.Escape(facts.ChatTemplate));
            grid.AddRow("licence", Markup.Escape(facts.Licence));
            if (model is not null && ModelStore.RecordedSha256(model) is { } sha256)
            {
                grid.AddRow("sha256", sha256);
            }

            AnsiConsole.Write(grid);
            return 0;
        });
        return command;
    }

    public static Command Add()
    {
        var name = new Argument<string>("name") { Description = "The name to use with --model, e.g. my-model." };
        var file = new Argument<string>("file") { Description = "The .gguf file to register; it is copied into the models folder." };
        var command = new Command("add", "Register a GGUF file already on disk under a name: checked, copied into the models folder and hashed.") { name, file };
        command.SetAction(parse =>
        {
            var (model, sha256) = Store().Add(parse.GetValue(name)!, parse.GetValue(file)!);
            Console.Out.WriteLine($"Added {model.Name} ({ByteCount.Format(model.Size)}, sha256 {sha256}) as {model.FilePath}; use it with --model {model.Name}.");
            return 0;
        });
        return command;
    }

    public static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "An installed model's name (see 'commons model list')." };
        var command = new Command("rm", "Delete an installed model from the models folder.") { name };
        command.SetAction(parse =>
        {
            var model = Store().Remove(parse.GetValue(name)!);
            Console.Out.WriteLine($"Removed {model.Name} ({ByteCount.Format(model.Size)}, {model.FilePath}).");
            return 0;
        });
        return command;
    }

    private static ModelStore Store() => ModelStore.ForHome(CommonsHome.FromEnvironment());
}
