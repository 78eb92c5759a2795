using Commons.Tools.Approval;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>Shows tool calls in the chat and asks y/n for the ones the policy says need confirmation.</summary>
internal sealed class ConsoleToolPrompt(TextReader input) : IToolApprover, IToolObserver
{
    public async Task<bool> ApproveAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine();
        AnsiConsole.MarkupLine($"[yellow]tool {Markup.Escape(request.ToolName)}[/] [grey]{Markup.Escape(Shorten(request.ArgumentsJson))}[/]");
        AnsiConsole.Markup("[yellow]Allow this? [[y/N]][/] ");
        var answer = await input.ReadLineAsync(cancellationToken);
        var yes = answer?.Trim().ToLowerInvariant() is "y" or "yes";
        if (!yes)
        {
            AnsiConsole.MarkupLine("[grey](declined; nothing was changed)[/]");
        }

        return yes;
    }

    public void OnToolStarting(ToolCallRequest request)
    {
        Console.Out.WriteLine();
        AnsiConsole.MarkupLine($"[grey]running {Markup.Escape(request.ToolName)} {Markup.Escape(Shorten(request.ArgumentsJson))}[/]");
    }

    public void OnToolFinished(ToolCallOutcome outcome)
    {
        var colour = outcome.Status == ToolCallStatus.Succeeded ? "grey" : "yellow";
        AnsiConsole.MarkupLine($"[{colour}]  -> {outcome.Status.ToString().ToLowerInvariant()}: {Markup.Escape(Shorten(outcome.Result))}[/]");
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }
}
