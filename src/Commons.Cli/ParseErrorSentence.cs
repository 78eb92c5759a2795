using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Quickenshtein;

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

        // An option the command does not have is named with the nearest one it has; System.CommandLine's own
        // sentences for it and for the value after it go.
        var unmatched = parse.UnmatchedTokens;
        var unknownOptions = unmatched.Where(t => t.StartsWith('-')).Distinct(StringComparer.Ordinal).ToList();
        var explained = unmatched.Where((t, i) => t.StartsWith('-') || (i > 0 && unmatched[i - 1].StartsWith('-'))).ToList();
        var sentences = unknownOptions
            .Select(t => $"'{path}' has no option {t}{Nearest(t, command.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))}.")
            .Concat(parse.Errors
                .Where(e => !explained.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                .Select(e => NumberProblem(e) ?? e.Message.TrimEnd('.') + "."))
            .Distinct(StringComparer.Ordinal);
        return $"{string.Join(" ", sentences)} See '{path} --help'.";
    }

    private static string UnknownSubcommand(Command command, string path, IReadOnlyList<string> unmatched)
    {
        var names = command.Subcommands.Select(c => c.Name).ToList();
        var list = string.Join(", ", names);
        var word = unmatched.FirstOrDefault();
        if (word is null)
        {
            return $"'{path}' needs a command: {list}. See '{path} --help'.";
        }

        return word.StartsWith('-')
            ? $"'{path}' has no option {word}; its commands are: {list}. See '{path} --help'."
            : $"'{word}' is not a command of '{path}'{Nearest(word, names)}; its commands are: {list}. See '{path} --help'.";
    }

    /// <summary>" (did you mean 'pull'?)" when one of <paramref name="names"/> is a likely typo away from <paramref name="word"/>.</summary>
    private static string Nearest(string word, IEnumerable<string> names)
    {
        var nearest = names
            .Select(n => (Name: n, Distance: Levenshtein.GetDistance(word.ToLowerInvariant(), n.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return nearest.Name is not null && nearest.Distance <= Math.Max(2, word.Length / 3) ? $" (did you mean '{nearest.Name}'?)" : "";
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
