using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Commons.Cli;

/// <summary>
/// Says what is wrong with a command line in the words of the command line itself: an unknown or missing
/// subcommand names the word and the valid ones, a number flag given something else names the flag and
/// what it takes, instead of System.CommandLine's "Required command was not provided" and .NET type names.
/// </summary>
internal static class ParseErrorSentence
{
    private const string WholeNumber = "a whole number";

    public static string For(ParseResult parse)
    {
        var command = parse.CommandResult;
        var path = CommandPath(command);
        if (command.Command.Subcommands.Count > 0 && (command.Command.Action is null || parse.UnmatchedTokens.Count > 0))
        {
            return UnknownSubcommand(command.Command, path, parse.UnmatchedTokens);
        }

        var sentences = parse.Errors
            .Select(e => NumberProblem(e) ?? e.Message.TrimEnd('.') + ".")
            .Distinct(StringComparer.Ordinal);
        return $"{string.Join(" ", sentences)} See '{path} --help'.";
    }

    private static string UnknownSubcommand(Command command, string path, IReadOnlyList<string> unmatched)
    {
        var names = string.Join(", ", command.Subcommands.Select(c => c.Name));
        var word = unmatched.FirstOrDefault();
        if (word is null)
        {
            return $"'{path}' needs a command: {names}. See '{path} --help'.";
        }

        return word.StartsWith('-')
            ? $"'{path}' has no option {word}; its commands are: {names}. See '{path} --help'."
            : $"'{word}' is not a command of '{path}'; its commands are: {names}. See '{path} --help'.";
    }

    /// <summary>"--uses must be a whole number, not "abc"." when a number flag's value does not read as its type.</summary>
    private static string? NumberProblem(ParseError error)
    {
        var (symbol, tokens) = error.SymbolResult switch
        {
            OptionResult option => ((Symbol)option.Option, option.Tokens),
            ArgumentResult { Parent: OptionResult option } argument => (option.Option, argument.Tokens),
            ArgumentResult argument => (argument.Argument, argument.Tokens),
            _ => (null, []),
        };
        if (symbol is null || tokens.Count != 1 || Kind(symbol) is not { } number || number.Reads(tokens[0].Value))
        {
            return null;
        }

        var name = symbol is Argument ? $"<{symbol.Name}>" : symbol.Name;
        var text = tokens[0].Value;
        var kind = number.Kind;
        if (kind == WholeNumber && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            kind = string.Create(CultureInfo.InvariantCulture, $"a whole number from {int.MinValue} to {int.MaxValue}");
        }

        return $"{name} must be {kind}, not \"{text}\".";
    }

    /// <summary>
    /// What a number option or argument takes and how its value reads; options with a parser of their own
    /// (such as <see cref="Commands.SettingOption"/>) already say what is wrong in their own words.
    /// </summary>
    private static (string Kind, Func<string, bool> Reads)? Kind(Symbol symbol) => symbol switch
    {
        Option<int> { CustomParser: null } or Option<int?> { CustomParser: null }
            or Argument<int> { CustomParser: null } or Argument<int?> { CustomParser: null } =>
            (WholeNumber, text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
        Option<double> { CustomParser: null } or Option<double?> { CustomParser: null }
            or Argument<double> { CustomParser: null } or Argument<double?> { CustomParser: null } =>
            ("a number, such as 7 or 0.5", text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
        _ => null,
    };

    /// <summary>"commons playbook show" for the command a parse ended in.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                names.Add(at.Parent is null ? "commons" : command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
