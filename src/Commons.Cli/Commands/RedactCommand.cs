using System.CommandLine;
using System.Text;
using Commons.Abstractions.Hosting;
using Commons.Privacy.Redaction;
using Humanizer;

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
            var text = await ReadTextAsync(path, cancellationToken);
            var result = Redactor.Redact(text, policies.Redaction, entities);
            Console.Out.Write(result.Text);
            if (parse.GetValue(explain))
            {
                if (!result.Text.EndsWith('\n'))
                {
                    Console.Out.WriteLine();
                }

                Console.Out.WriteLine($"# {"replacement".ToQuantity(result.Replacements.Count)} (policy {policies.Id}, sha256 {policies.Hash[..12]}):");
                foreach (var replacement in result.Replacements)
                {
                    Console.Out.WriteLine($"# {replacement.Placeholder} <- \"{replacement.Original}\"  rule {replacement.RuleId} ({PolicyCommand.Display(replacement.RuleLocation)})");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The UTF-8 text of <paramref name="path"/> (or standard input). A folder or a binary file (a model,
    /// an image) is refused: redacting it would print bytes to the terminal and say nothing useful.
    /// </summary>
    private static async Task<string> ReadTextAsync(string? path, CancellationToken cancellationToken)
    {
        var name = path is null or "-" ? "Standard input" : path;
        if (path is not null && Directory.Exists(path))
        {
            throw new CommonsException($"{path} is a folder; give commons redact one text file, or pipe the text in.");
        }

        byte[] bytes;
        try
        {
            if (path is null or "-")
            {
                using var input = new MemoryStream();
                await using var stdin = Console.OpenStandardInput();
                await stdin.CopyToAsync(input, cancellationToken);
                bytes = input.ToArray();
            }
            else
            {
                await using var file = File.OpenRead(path);
                // A model file can be gigabytes: its first block already shows it is not text.
                var head = new byte[8192];
                var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                if (head.AsSpan(0, read).Contains((byte)0))
                {
                    throw NotText(name);
                }

                using var whole = new MemoryStream();
                whole.Write(head, 0, read);
                await file.CopyToAsync(whole, cancellationToken);
                bytes = whole.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Cannot read {path}: {ex.Message}", ex);
        }

        try
        {
            // NUL never occurs in text; invalid UTF-8 means binary data or another encoding.
            var text = StrictUtf8.GetString(bytes);
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
            }
        }
        catch (DecoderFallbackException)
        {
            // Refused below.
        }

        throw NotText(name);
    }

    private static CommonsException NotText(string name) =>
        new($"{name} is not UTF-8 text (it looks like a binary file, such as a model or an image); commons redact reads text only.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
