using System.CommandLine;
using Commons.Abstractions.Hosting;
using Spectre.Console;

namespace Commons.Cli;

/// <summary>
/// Runs the command line and turns failures a person can cause into one sentence and exit code 2.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for bad input: a missing or damaged file, a bad setting, an unusable folder.</summary>
    public const int BadInput = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var configuration = new InvocationConfiguration
        {
            // Commands that need Ctrl-C (chat) handle it themselves; the others end on it as usual.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            var parse = root.Parse(args);
            // A bad flag is one sentence; the help is one --help away. With no arguments at all the help is the answer.
            if (parse.Errors.Count > 0 && args.Length > 0)
            {
                WriteError(ParseErrorSentence.For(parse));
                return BadInput;
            }

            return await parse.InvokeAsync(configuration);
        }
        catch (CommonsException ex)
        {
            WriteError(ex.Message);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            WriteError("Cancelled.");
            return 130;
        }
    }

    /// <summary>Prints one warning sentence to standard error, on one line.</summary>
    public static void WriteWarning(string message)
    {
        var flat = message.ReplaceLineEndings(" ");
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine("warning: " + flat);
            return;
        }

        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        error.Profile.Width = Math.Max(error.Profile.Width, flat.Length + 10);
        error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(flat)}");
    }

    /// <summary>Prints one error sentence to standard error, on one line whatever the terminal's width.</summary>
    public static void WriteError(string message)
    {
        var flat = message.ReplaceLineEndings(" ");
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine("error: " + flat);
            return;
        }

        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        error.Profile.Width = Math.Max(error.Profile.Width, flat.Length + 8);
        error.MarkupLine($"[red]error:[/] {Markup.Escape(flat)}");
    }
}
