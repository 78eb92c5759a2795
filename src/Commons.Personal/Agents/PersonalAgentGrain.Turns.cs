using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Learning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Commons.Personal.Agents;

/// <summary>One turn, whoever asked for it (the chat or a program through the API): decide, prompt, stream, record.</summary>
public sealed partial class PersonalAgentGrain
{
    private const int TitleLength = 48;
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
    private static readonly PromptExecutionSettings ToolSettings = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    private async IAsyncEnumerable<TurnUpdate> RunTurnAsync(ConversationRecord conversation, TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var message = request.Message;
        yield return new TurnUpdate(Turn: new TurnReference(conversation.Id, conversation.Turns.Count));

        // The playbook's action policy picks the action (a tool, or replying directly) and the advice,
        // as the benchmark measures it. With learning off there is no episode and nothing learned.
        var decision = options.Value.Learning
            ? await Playbook.DecideTurnAsync(message, Actions(), options.Value.Actions.Count == 0 ? ReplyAction : null)
            : null;
        if (!options.Value.Generate)
        {
            // Routing only: the decision is the reply, recorded like any other turn.
            var routed = decision?.Action ?? ReplyAction;
            conversation.Turns.Add(new ChatTurn(message, routed, time.GetUtcNow(), false, 0, 0, decision?.EpisodeId, decision?.Advice.Select(e => e.EntryId).ToList() ?? []));
            conversation.LastActive = time.GetUtcNow();
            await state.WriteStateAsync();
            yield return new TurnUpdate(routed);
            yield return new TurnUpdate(Finish: new TurnFinish("stop", 0, 0));
            yield break;
        }

        var messages = BuildMessages(conversation, request, decision);
        var chatOptions = BuildOptions(decision, request);
        var client = kernel.Services.GetRequiredService<IChatClient>();
        var clientTools = request.Tools?.Select(t => t.Name).ToHashSet(StringComparer.Ordinal) ?? [];

        var reply = new StringBuilder();
        var completed = false;
        var usage = new TurnUsage();
        var stopwatch = Stopwatch.StartNew();
        LogTurnStarted(logger, conversation.Id, conversation.Turns.Count);

        // The model streams on the thread pool, not on this grain's scheduler: a hop back onto the
        // grain for every token costs more than a tiny model takes to make one. The pump coalesces
        // tokens into chunks (the first at once, then at most every few milliseconds) and only the
        // chunks come back here.
        var chunks = Channel.CreateUnbounded<TurnUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var flushEvery = TimeSpan.FromMilliseconds(options.Value.StreamChunkMilliseconds);
        var pump = Task.Run(() => PumpAsync(client, messages, chatOptions, clientTools, flushEvery, chunks.Writer, usage, cancellationToken), cancellationToken);
        _streaming = true;
        _shownWhenStopped = null;
        try
        {
            await foreach (var update in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                reply.Append(update.Text);
                yield return update;
            }

            await pump;
            completed = true;
        }
        finally
        {
            // Whatever happened (a reply cut short by Ctrl-C included), the turn is recorded once,
            // so the history on disk always pairs each message with what was shown in reply.
            // Chunks already on their way to the caller when it stopped are not what the person saw.
            var kept = reply.ToString();
            var interrupted = !completed;
            if (_shownWhenStopped is { } shown && kept.StartsWith(shown, StringComparison.Ordinal))
            {
                kept = shown;
                interrupted = true;
            }

            _streaming = false;
            _shownWhenStopped = null;
            var now = time.GetUtcNow();
            conversation.Turns.Add(new ChatTurn(
                message, kept, now, interrupted, usage.Tokens, stopwatch.Elapsed.TotalSeconds,
                decision?.EpisodeId, decision?.Advice.Select(e => e.EntryId).ToList() ?? []));
            conversation.LastActive = now;
            await state.WriteStateAsync();
            LogTurnRecorded(logger, conversation.Id, usage.Tokens, interrupted);
        }

        var finish = new TurnFinish(usage.FinishReason, usage.PromptTokens, usage.Tokens);
        yield return new TurnUpdate(Finish: finish with { Note = WindowFullNote(finish) });
    }

    /// <summary>
    /// Streams the reply off the grain's scheduler and writes it to the channel in coalesced chunks; calls to
    /// the client's tools go out as they come (the agent's own tools were run by the function invocation).
    /// </summary>
    private static async Task PumpAsync(
        IChatClient client,
        List<ChatMessage> messages,
        ChatOptions chatOptions,
        HashSet<string> clientTools,
        TimeSpan flushEvery,
        ChannelWriter<TurnUpdate> writer,
        TurnUsage usage,
        CancellationToken cancellationToken)
    {
        try
        {
            var pending = new StringBuilder();
            var sentAny = false;
            var lastFlush = 0L;
            // Inside Task.Run the continuations stay on the thread pool; no ConfigureAwait needed.
            await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
            {
                usage.Finish = update.FinishReason ?? usage.Finish;
                var calls = new List<ClientToolCall>();
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case UsageContent spent:
                            usage.Tokens += (int)(spent.Details.OutputTokenCount ?? 0);
                            usage.PromptTokens += (int)(spent.Details.InputTokenCount ?? 0);
                            break;
                        case Microsoft.Extensions.AI.FunctionCallContent call when clientTools.Contains(call.Name):
                            calls.Add(new ClientToolCall(
                                string.IsNullOrEmpty(call.CallId) ? "call_" + Guid.NewGuid().ToString("N")[..24] : call.CallId,
                                call.Name,
                                JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), CompactJson)));
                            break;
                    }
                }

                if (update.Role != ChatRole.Tool)
                {
                    pending.Append(update.Text);
                }

                if (calls.Count > 0)
                {
                    usage.ClientToolCalls += calls.Count;
                    writer.TryWrite(new TurnUpdate(pending.ToString(), calls));
                    pending.Clear();
                    sentAny = true;
                }
                else if (pending.Length > 0 && (!sentAny || Stopwatch.GetElapsedTime(lastFlush) >= flushEvery))
                {
                    writer.TryWrite(new TurnUpdate(pending.ToString()));
                    pending.Clear();
                    sentAny = true;
                    lastFlush = Stopwatch.GetTimestamp();
                }
            }

            if (pending.Length > 0)
            {
                writer.TryWrite(new TurnUpdate(pending.ToString()));
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>
    /// The model's options for this turn: the agent's tools as the playbook decided (through Semantic Kernel,
    /// so the tool policy's filters run), then what the client asked for on top.
    /// </summary>
    private ChatOptions BuildOptions(TurnDecision? decision, TurnRequest request)
    {
        var chatOptions = (ToolSettingsFor(decision, request.ModelFile) ?? new PromptExecutionSettings()).ToChatOptions(kernel)!;
        // The model the request leased (see ModelSlot): the reply is written with it, not whichever is in use by now.
        chatOptions.ModelId = request.ModelFile ?? chatOptions.ModelId;
        if (request.Sampling is { } sampling)
        {
            chatOptions.Temperature = sampling.Temperature ?? chatOptions.Temperature;
            chatOptions.MaxOutputTokens = sampling.MaxTokens ?? chatOptions.MaxOutputTokens;
            chatOptions.TopP = sampling.TopP ?? chatOptions.TopP;
            chatOptions.Seed = sampling.Seed ?? chatOptions.Seed;
            if (sampling.Stop is { Count: > 0 } stop)
            {
                chatOptions.StopSequences = [.. stop];
            }
        }

        var declared = request.Tools?
            .Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, JsonDocument.Parse(t.ParametersSchema).RootElement.Clone()))
            .ToList() ?? [];
        switch (request.ToolChoice)
        {
            case TurnRequest.ToolChoiceNone:
                break;
            case TurnRequest.ToolChoiceRequired when declared.Count > 0:
                // The client's tools only: a forced call is held to them by a grammar.
                chatOptions.Tools = declared;
                chatOptions.ToolMode = ChatToolMode.RequireAny;
                return chatOptions;
            case { } name when name != TurnRequest.ToolChoiceAuto && declared.Count > 0:
                chatOptions.Tools = declared;
                chatOptions.ToolMode = ChatToolMode.RequireSpecific(name);
                return chatOptions;
            default:
                if (declared.Count > 0)
                {
                    chatOptions.Tools = [.. chatOptions.Tools ?? [], .. declared];
                    chatOptions.ToolMode ??= ChatToolMode.Auto;
                }

                break;
        }

        if (request.ResponseSchema is { } schema)
        {
            // The reply is the JSON the client asked for, held to its schema by a grammar: no tool this time.
            chatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement.Clone(), request.ResponseSchemaName);
            chatOptions.ToolMode = ChatToolMode.None;
        }

        return chatOptions;
    }

    /// <summary>
    /// How tools are offered this turn: when the playbook chose a tool and the model has no tool format of
    /// its own, the call is required (a grammar holds the model to that tool; it fills only the arguments);
    /// otherwise the tools are offered as usual, the choice being a hint in the prompt.
    /// </summary>
    private PromptExecutionSettings? ToolSettingsFor(TurnDecision? decision, string? modelFile)
    {
        if (kernel.Plugins.Count == 0)
        {
            return null;
        }

        if (decision is not null && FindTool(decision.Action) is { } tool && ServiceProvider.GetService<Inference.Llama.ModelSlot>() is { } slot)
        {
            using var lease = slot.Rent(modelFile);
            if (Inference.Tools.ToolFormatDetector.Detect(lease.Model) == Inference.Tools.ToolFormat.None)
            {
                return new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required([tool]) };
            }
        }

        return ToolSettings;
    }

    private List<ChatMessage> BuildMessages(ConversationRecord conversation, TurnRequest request, TurnDecision? decision)
    {
        var message = request.Message;
        if (conversation.Title.Length == 0)
        {
            conversation.Title = message.Length <= TitleLength ? message : message[..TitleLength] + "…";
        }

        var system = new StringBuilder(options.Value.Persona);
        if (decision is { Advice.Count: > 0 })
        {
            // What the agent has learned about serving this person, as short bullets.
            system.Append("\n\nWhat you have learned about helping this person:");
            foreach (var entry in decision.Advice)
            {
                system.Append("\n- ").Append(entry.Advice);
            }
        }

        if (decision is not null && FindTool(decision.Action) is not null)
        {
            // The strong hint a model with native tool calling gets (a model without one is held to it by a grammar).
            system.Append("\n\nFor this request, use the tool ").Append(decision.Action).Append('.');
        }

        if (!string.IsNullOrWhiteSpace(request.Instructions))
        {
            // A program's own system message comes after the persona, which it cannot replace.
            system.Append("\n\n").Append(request.Instructions);
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, system.ToString()) };
        foreach (var turn in conversation.Turns)
        {
            messages.Add(new ChatMessage(ChatRole.User, turn.UserMessage));
            if (turn.Reply.Length > 0)
            {
                messages.Add(new ChatMessage(ChatRole.Assistant, turn.Reply));
            }
        }

        if (conversation.Turns.Count == 0)
        {
            // A stateless client sends the conversation so far with each request.
            foreach (var earlier in request.Earlier ?? [])
            {
                messages.Add(new ChatMessage(earlier.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, earlier.Text));
            }
        }

        messages.Add(new ChatMessage(ChatRole.User, message));
        return messages;
    }
}
