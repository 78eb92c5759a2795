using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>What <c>commons chat</c> says about its own commands: a one-line hint, and the list <c>/help</c> shows.</summary>
internal static class ChatHelp
{
    /// <summary>The prompt before the person's line, in Spectre markup.</summary>
    public const string Prompt = "[bold green]you>[/] ";

    /// <summary>Shown under the banner.</summary>
    public const string Hint = "Type a message, or /help for the chat commands. /quit, Ctrl-D or Ctrl-C twice leaves.";

    private static readonly (string Command, string Meaning)[] Commands =
    [
        ("/good, /bad", "tell the agent its last reply was right or wrong"),
        ("/fix TEXT", "say what should have happened; it becomes a playbook entry used the next time"),
        ("/reflect", "let the model propose small playbook changes from recent feedback"),
        ("/why", "what shaped the last reply: the action chosen, its probability, and each playbook entry (yours or imported, with its pool)"),
        ("/pools", "what your agent sent to and took from each pool, and how its last background sync went"),
        ("/new", "start a fresh conversation"),
        ("/history", "list your conversations and show the current one's turns"),
        ("/open N", "go back to conversation N (numbers from /history)"),
        ("/help", "this list"),
        ("/quit", "leave (also /exit, Ctrl-D, or Ctrl-C twice at the prompt)"),
        ("Ctrl-C", "while a reply is written: stop it (the turn is kept, marked as stopped)"),
    ];

    /// <summary>Prints the chat commands, one a line.</summary>
    public static void Show()
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (command, meaning) in Commands)
        {
            grid.AddRow($"[bold]{Markup.Escape(command)}[/]", Markup.Escape(meaning));
        }

        AnsiConsole.Write(grid);
    }
}
