using Humanizer;
using System.CommandLine;
using System.Globalization;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Inference.Llama;
using Commons.Inference.Models;
using Commons.Personal.Hosting;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary><c>commons chat</c>: a conversation with the personal agent in the terminal.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var command = new Command("chat", "Chat with your personal agent (runs a personal silo in this process).");
        var model = new ModelSettingsOptions(command, remote: true);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var home = CommonsHome.FromEnvironment();
            var settings = model.Resolve(parse);
            StartChecks.Run(home, settings);
            var endpoint = new ConfigurationBuilder().AddCommonsSettings(home, settings).Build()["Model:Endpoint"];
            var attaching = ServeRegistration.Find(home) is not null;
            if (!attaching && string.IsNullOrWhiteSpace(endpoint) && !await EnsureSomeModelAsync(home, settings, cancellationToken))
            {
                return CommandRunner.BadInput;
            }

            // A remote model sees the conversation: the person agrees once per server, before anything is sent.
            if (!attaching && !string.IsNullOrWhiteSpace(endpoint) && !RemoteConsentPrompt.Ask(home, endpoint, Console.In))
            {
                return CommandRunner.BadInput;
            }

            // While the chat runs, the agent syncs with its pools in the background (PoolSync:IntervalSeconds; 0 turns it off).
            // While a 'commons serve' runs for this data folder, the chat attaches to it (its model, its sync).
            await using var silo = await PersonalSilo.StartAsync(home, settings, model.ConfigureLogging(parse), cancellationToken, syncPools: true, attach: true);
            // Attached, the serve's model runs with the serve's settings: the flags that hold per reply go with each turn.
            if (silo.AttachedTo is { } serve && model.LoadFlagsGiven(parse) is { Count: > 0 } ignored)
            {
                CommandRunner.WriteWarning($"commons serve at {serve.Url.TrimEnd('/')} runs its own model ({serve.ModelName}) with its own settings, so {string.Join(", ", ignored)} {(ignored.Count == 1 ? "does" : "do")} not apply to this chat; --max-tokens, --temperature and --seed do.");
            }

            var exitCode = await RunAsync(silo, silo.AttachedTo is null ? null : model.Sampling(parse), Console.In, cancellationToken);
            await ServeShutdown.FinishBackgroundWorkAsync(silo, "commons chat", again: false);
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// With no model set and none installed, a person at a terminal is offered the default model;
    /// piped input gets the one-sentence explanation from start-up instead.
    /// </summary>
    private static async Task<bool> EnsureSomeModelAsync(CommonsHome home, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var configured = new ConfigurationBuilder().AddCommonsSettings(home, settings).Build()["Model:Path"];
        var store = ModelStore.ForHome(home);
        var fallback = store.Catalog.Default;
        if (!string.IsNullOrWhiteSpace(configured) || store.Resolve(fallback.Name) is not null
            || Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            return true;
        }

        AnsiConsole.MarkupLine($"No model is installed yet. The default is [bold]{Markup.Escape(fallback.Name)}[/] ({ByteCount.Format(fallback.Size)}, {Markup.Escape(fallback.Licence)}).");
        if (!await AnsiConsole.ConfirmAsync("Download it now?", defaultValue: false, cancellationToken))
        {
            CommandRunner.WriteError($"No model is set: pass --model PATH, set COMMONS_MODEL, or run 'commons model pull {fallback.Name}'.");
            return false;
        }

        return await ModelPullCommand.RunAsync(fallback.Name, null, cancellationToken) == 0;
    }

    private static async Task<int> RunAsync(PersonalSilo silo, TurnSampling? sampling, TextReader input, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsInputRedirected;
        var agent = silo.Agent;
        ShowBanner(silo);
        var turns = await agent.GetCurrentTurnsAsync();
        if (turns.Count > 0)
        {
            AnsiConsole.MarkupLine($"[grey]Continuing the conversation you left ({"turn".ToQuantity(turns.Count)}). /new starts a fresh one.[/]");
        }

        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(ChatHelp.Hint)}[/]");
        var prompt = new ConsoleToolPrompt(input);
        using var toolPrompt = silo.Tools.Attach(prompt, prompt);
        using var replies = new ReplyCancellation();
        while (!cancellationToken.IsCancellationRequested)
        {
            await ShowDueRemindersAsync(silo, cancellationToken);
            if (interactive)
            {
                AnsiConsole.Markup(ChatHelp.Prompt);
            }

            var line = await replies.ReadLineAsync(input, cancellationToken);
            if (line is null)
            {
                break;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('/'))
            {
                if (!await RunSlashCommandAsync(silo, agent, line))
                {
                    break;
                }

                continue;
            }

            await StreamReplyAsync(agent, new TurnRequest(line, ConversationKeys.Current, Sampling: sampling), replies, silo.Remote is null ? ReplyPrefix : RemoteReplyPrefix);
        }

        return 0;
    }

    private static void ShowBanner(PersonalSilo silo)
    {
        if (silo.Remote is { } remote)
        {
            AnsiConsole.MarkupLine($"[yellow]Commons · remote model [bold]{Markup.Escape(remote.Name)}[/] at {Markup.Escape(remote.Endpoint.ToString())}: your conversation leaves this machine[/] [grey]· data in {Markup.Escape(silo.Home.Root)}[/]");
            return;
        }

        if (silo.AttachedTo is { } serve)
        {
            AnsiConsole.MarkupLine($"[grey]Commons · attached to commons serve at {Markup.Escape(serve.Url)} · model [bold]{Markup.Escape(serve.ModelName)}[/] · data in {Markup.Escape(silo.Home.Root)}[/]");
            return;
        }

        var model = silo.Model;
        AnsiConsole.MarkupLine($"[grey]Commons · model [bold]{Markup.Escape(model.Name)}[/] · template {Markup.Escape(model.TemplateName)} · data in {Markup.Escape(silo.Home.Root)}[/]");
        if (!model.TemplateFromFile && model.Options.ChatTemplate is null)
        {
            AnsiConsole.MarkupLine($"[yellow]This model file has no chat template, so {LocalModel.FallbackTemplate} is used; if replies look wrong, name the model's template with --template.[/]");
        }
    }

    private const string ReplyPrefix = "[bold blue]commons>[/] ";

    /// <summary>While a remote model answers, every reply says so.</summary>
    private const string RemoteReplyPrefix = "[bold blue]commons[/] [yellow](remote)[/][bold blue]>[/] ";

    private static async Task StreamReplyAsync(IPersonalAgentGrain agent, TurnRequest turn, ReplyCancellation replies, string prefix)
    {
        var token = replies.Begin();
        AnsiConsole.Markup(prefix);
        var shown = new System.Text.StringBuilder();
        try
        {
            await foreach (var update in agent.CompleteAsync(turn, token))
            {
                if (token.IsCancellationRequested)
                {
                    break;
                }

                // How the turn ended, when the person should know (the context window cut the reply): on screen only.
                var text = update.Finish?.Note ?? update.Text;
                if (text.Length == 0)
                {
                    continue;
                }

                Console.Out.Write(text);
                Console.Out.Flush();
                shown.Append(update.Text);
            }

            token.ThrowIfCancellationRequested();
            Console.Out.WriteLine();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The history keeps what the screen showed, not what the model had made by the time the stop arrived.
            await agent.KeepShownReplyAsync(shown.ToString());
            Console.Out.WriteLine();
            AnsiConsole.MarkupLine("[yellow](reply stopped)[/]");
        }
        finally
        {
            replies.End();
        }
    }

    /// <returns>False when the person asked to leave.</returns>
    private static async Task<bool> RunSlashCommandAsync(PersonalSilo silo, IPersonalAgentGrain agent, string line)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case "/quit" or "/exit" or "/bye":
                return false;
            case "/new":
                await agent.NewConversationAsync();
                AnsiConsole.MarkupLine("[grey]Started a new conversation.[/]");
                return true;
            case "/history":
                await ShowHistoryAsync(agent);
                return true;
            case "/open":
                await OpenAsync(agent, parts.Length > 1 ? parts[1] : "");
                return true;
            case "/good":
                await FeedbackAsync(agent, new Feedback(FeedbackKind.Good));
                return true;
            case "/bad":
                await FeedbackAsync(agent, new Feedback(FeedbackKind.Bad));
                return true;
            case "/fix":
                if (parts.Length < 2)
                {
                    AnsiConsole.MarkupLine("[yellow]Say what should have happened: /fix TEXT[/]");
                    return true;
                }

                await FeedbackAsync(agent, new Feedback(FeedbackKind.Fix, parts[1]));
                return true;
            case "/reflect":
                var result = await agent.ReflectAsync();
                AnsiConsole.MarkupLine($"[grey]Reflection: {result.Added} added, {result.Merged} merged, {result.Edited} edited, {result.Retired} retired, {result.Rejected} proposals rejected.[/]");
                return true;
            case "/why":
                await ChatWhy.ShowAsync(agent);
                return true;
            case "/pools":
                await ChatPools.ShowAsync(silo);
                return true;
            case "/help" or "/?":
                ChatHelp.Show();
                return true;
            default:
                AnsiConsole.MarkupLine($"[yellow]Unknown command {Markup.Escape(parts[0])}.[/] The chat commands are:");
                ChatHelp.Show();
                return true;
        }
    }

    private static async Task ShowDueRemindersAsync(PersonalSilo silo, CancellationToken cancellationToken)
    {
        if (silo.Tasks is null)
        {
            return;
        }

        foreach (var reminder in await silo.Tasks.TakeDueRemindersAsync(cancellationToken))
        {
            AnsiConsole.MarkupLine($"[bold yellow]Reminder:[/] {Markup.Escape(reminder.Title)} [grey](due {Markup.Escape(reminder.Due ?? "")}, task {reminder.Id})[/]");
        }
    }

    private static async Task FeedbackAsync(IPersonalAgentGrain agent, Feedback feedback)
    {
        var outcome = await agent.FeedbackAsync(feedback);
        var message = (outcome.Applied, feedback.Kind) switch
        {
            (false, _) => "Nothing to give feedback on yet (or feedback was already given on that reply).",
            (true, FeedbackKind.Fix) => $"Thanks, noted as playbook entry {outcome.EntryId}; it will be used when this comes up again.",
            (true, FeedbackKind.Good) => "Thanks, noted.",
            _ => "Thanks, noted; the advice used for that reply counts for less now.",
        };
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        if (outcome.ReflectionDue)
        {
            AnsiConsole.MarkupLine("[grey]Reflecting on your recent feedback in the background; 'commons playbook list' shows what it changed.[/]");
        }
    }

    private static async Task ShowHistoryAsync(IPersonalAgentGrain agent)
    {
        var conversations = await agent.ListConversationsAsync();
        if (conversations.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No conversations yet.[/]");
            return;
        }

        var table = new Table().AddColumns("#", "started", "turns", "title");
        for (var i = 0; i < conversations.Count; i++)
        {
            var c = conversations[i];
            table.AddRow(
                (c.IsCurrent ? "* " : "  ") + (i + 1).ToString(CultureInfo.InvariantCulture),
                c.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                c.TurnCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(c.Title));
        }

        AnsiConsole.Write(table);
        var turns = await agent.GetCurrentTurnsAsync();
        foreach (var turn in turns)
        {
            AnsiConsole.MarkupLine($"[green]you:[/] {Markup.Escape(Shorten(turn.UserMessage))}");
            var suffix = turn.Interrupted ? " [yellow](stopped)[/]" : "";
            AnsiConsole.MarkupLine($"[blue]commons:[/] {Markup.Escape(Shorten(turn.Reply))}{suffix}");
        }
    }

    private static async Task OpenAsync(IPersonalAgentGrain agent, string argument)
    {
        var conversations = await agent.ListConversationsAsync();
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > conversations.Count)
        {
            AnsiConsole.MarkupLine($"[yellow]Give a conversation number from 1 to {conversations.Count} (see /history).[/]");
            return;
        }

        await agent.OpenConversationAsync(conversations[number - 1].Id);
        AnsiConsole.MarkupLine($"[grey]Now in conversation {number}: {Markup.Escape(conversations[number - 1].Title)}[/]");
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
