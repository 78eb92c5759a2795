using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Privacy.Redaction;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons redact [FILE]</c>: prints exactly what would leave after redaction under the current
/// policies; <c>--explain</c> lists the rule behind each replacement.
/// </summary>
internal static class RedactCommand
{
    public static Command Create()
    {
        var command = new Command("redact", "Print what would leave after redaction (reads FILE, or standard input).");
        var file = new Argument<string?>("FILE") { Description = "Text file to redact (default: standard input).", Arity = ArgumentArity.ZeroOrOne };
        var explain = new Option<bool>("--explain") { Description = "After the text, list each replacement with its rule and policy file:line." };
        var known = new Option<string[]>("--known")
        {
            Description = "A known entity as KIND=VALUE (person, place, email, organisation, other); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var folder = PolicyCommand.CreateFolderOption();
        command.Arguments.Add(file);
        command.Options.Add(explain);
        command.Options.Add(known);
        command.Options.Add(folder);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var policies = PolicyCommand.Load(parse, folder);
            var entities = new KnownEntities((parse.GetValue(known) ?? []).Select(ParseKnown));
            var path = parse.GetValue(file);
            string text;
            try
            {
                text = path is null or "-"
                    ? await Console.In.ReadToEndAsync(cancellationToken)
                    : await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommonsException($"Cannot read {path}: {ex.Message}", ex);
            }

            var result = Redactor.Redact(text, policies.Redaction, entities);
            Console.Out.Write(result.Text);
            if (parse.GetValue(explain))
            {
                if (!result.Text.EndsWith('\n'))
                {
                    Console.Out.WriteLine();
                }

                Console.Out.WriteLine($"# {result.Replacements.Count} replacement{(result.Replacements.Count == 1 ? "" : "s")} (policy {policies.Id}, sha256 {policies.Hash[..12]}):");
                foreach (var replacement in result.Replacements)
                {
                    Console.Out.WriteLine($"# {replacement.Placeholder} <- \"{replacement.Original}\"  rule {replacement.RuleId} ({PolicyCommand.Display(replacement.RuleLocation)})");
                }
            }

            return 0;
        });
        return command;
    }

    private static KnownEntity ParseKnown(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new CommonsException($"--known takes KIND=VALUE, such as person=Priya; '{text}' is not that.");
        }

        return new KnownEntity(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }
}
