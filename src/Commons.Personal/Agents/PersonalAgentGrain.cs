using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Learning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkChatHistory = Microsoft.SemanticKernel.ChatCompletion.ChatHistory;

namespace Commons.Personal.Agents;

/// <summary>
/// The conversation loop: builds the prompt from the persona and the conversation so far, runs it
/// through the Semantic Kernel chat service (the local model), streams the reply, and records the turn.
/// </summary>
public sealed partial class PersonalAgentGrain(
    [PersistentState("agent", StorageNames.Personal)] IPersistentState<PersonalAgentState> state,
    Kernel kernel,
    IOptions<AgentOptions> options,
    TimeProvider time,
    BackgroundWork background,
    ILogger<PersonalAgentGrain> logger) : Grain, IPersonalAgentGrain
{
    private const int TitleLength = 48;
    private static readonly PromptExecutionSettings ToolSettings = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    private const string UsageMetadataKey = "Usage";

    // While a reply streams: what the person saw when they stopped it, if they did (see KeepShownReplyAsync).
    private bool _streaming;
    private string? _shownWhenStopped;


    /// <summary>The action "answer directly, with no tool".</summary>
    public const string ReplyAction = "reply";

    public async IAsyncEnumerable<string> ChatAsync(string message, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var conversation = CurrentConversation() ?? StartConversation();
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
            yield return routed;
            yield break;
        }

        var history = BuildHistory(conversation, message, decision);
        var chat = kernel.GetRequiredService<IChatCompletionService>();

        var reply = new StringBuilder();
        var completed = false;
        var usage = new TurnUsage();
        var stopwatch = Stopwatch.StartNew();
        LogTurnStarted(logger, conversation.Id, conversation.Turns.Count);

        // The model streams on the thread pool, not on this grain's scheduler: a hop back onto the
        // grain for every token costs more than a tiny model takes to make one. The pump coalesces
        // tokens into chunks (the first at once, then at most every few milliseconds) and only the
        // chunks come back here.
        var chunks = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var settings = ToolSettingsFor(decision);
        var flushEvery = TimeSpan.FromMilliseconds(options.Value.StreamChunkMilliseconds);
        var pump = Task.Run(() => PumpAsync(chat, history, settings, flushEvery, chunks.Writer, usage, cancellationToken), cancellationToken);
        _streaming = true;
        _shownWhenStopped = null;
        try
        {
            await foreach (var text in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                reply.Append(text);
                yield return text;
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
    }

    public async Task KeepShownReplyAsync(string shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        if (_streaming)
        {
            // The stop reaches the grain before the stream's end: the turn is recorded with this.
            _shownWhenStopped = shown;
            return;
        }

        var turns = CurrentConversation()?.Turns;
        if (turns is not { Count: > 0 } || !turns[^1].Reply.StartsWith(shown, StringComparison.Ordinal)
            || (turns[^1].Interrupted && turns[^1].Reply.Length == shown.Length))
        {
            return;
        }

        turns[^1] = turns[^1] with { Reply = shown, Interrupted = true };
        await state.WriteStateAsync();
    }

    /// <summary>Streams the reply off the grain's scheduler and writes it to the channel in coalesced chunks.</summary>
    private async Task PumpAsync(
        IChatCompletionService chat,
        SkChatHistory history,
        PromptExecutionSettings? settings,
        TimeSpan flushEvery,
        ChannelWriter<string> writer,
        TurnUsage usage,
        CancellationToken cancellationToken)
    {
        try
        {
            var pending = new StringBuilder();
            var sentAny = false;
            var lastFlush = 0L;
            // Inside Task.Run the continuations stay on the thread pool; no ConfigureAwait needed.
            await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, cancellationToken))
            {
                usage.Tokens += OutputTokens(chunk);
                pending.Append(chunk.Content);
                if (pending.Length > 0 && (!sentAny || Stopwatch.GetElapsedTime(lastFlush) >= flushEvery))
                {
                    writer.TryWrite(pending.ToString());
                    pending.Clear();
                    sentAny = true;
                    lastFlush = Stopwatch.GetTimestamp();
                }
            }

            if (pending.Length > 0)
            {
                writer.TryWrite(pending.ToString());
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    public async Task<FeedbackOutcome> FeedbackAsync(Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var last = CurrentConversation()?.Turns.LastOrDefault(t => t.EpisodeId is not null);
        if (last?.EpisodeId is null)
        {
            return new FeedbackOutcome(false, null, false);
        }

        // A correction that names one of the agent's actions says which was right; any other text is advice.
        if (feedback is { Kind: FeedbackKind.Fix, CorrectsAction: null, Correction: { } text })
        {
            var named = Actions().FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase));
            feedback = named is null ? feedback with { CorrectsAction = false } : feedback with { Correction = named, CorrectsAction = true };
        }

        var outcome = await Playbook.FeedbackAsync(last.EpisodeId, feedback);
        if (outcome.ReflectionDue && _reflection is not { IsCompleted: false })
        {
            // The feedback is acknowledged now; the model's reflection (seconds on a long history)
            // runs off the grain and off the reply path, and merges its changes into the playbook when done.
            var playbook = Playbook;
            _reflection = background.Run(() => ReflectInBackgroundAsync(playbook));
        }

        return outcome;
    }

    public async Task<ConversationSummary> NewConversationAsync()
    {
        var conversation = StartConversation();
        await state.WriteStateAsync();
        return Summarize(conversation);
    }

    public async Task<bool> OpenConversationAsync(string conversationId)
    {
        if (state.State.Conversations.All(c => c.Id != conversationId))
        {
            return false;
        }

        state.State.CurrentConversationId = conversationId;
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync() =>
        Task.FromResult<IReadOnlyList<ConversationSummary>>(state.State.Conversations.Select(Summarize).ToList());

    public async Task<TurnExplanation?> ExplainLastTurnAsync() =>
        CurrentConversation()?.Turns.LastOrDefault(t => t.EpisodeId is not null)?.EpisodeId is { } episode
            ? await Playbook.ExplainAsync(episode)
            : null;

    public Task<IReadOnlyList<ChatTurn>> GetCurrentTurnsAsync() =>
        Task.FromResult<IReadOnlyList<ChatTurn>>(CurrentConversation()?.Turns.ToList() ?? []);

    private IPlaybookGrain Playbook => GrainFactory.GetGrain<IPlaybookGrain>(this.GetPrimaryKeyString());

    /// <summary>What the playbook chooses among: the configured actions, else the agent's tools and replying directly.</summary>
    private List<string> Actions() =>
        options.Value.Actions.Count > 0
            ? [.. options.Value.Actions]
            : [.. kernel.Plugins.SelectMany(p => p.Select(f => ToolName(p.Name, f.Name))), ReplyAction];

    private static string ToolName(string plugin, string function) => $"{plugin}_{function}";

    private KernelFunction? FindTool(string action) =>
        kernel.Plugins.SelectMany(p => p.Select(f => (Name: ToolName(p.Name, f.Name), Function: f))).FirstOrDefault(t => t.Name == action).Function;

    /// <summary>
    /// How tools are offered this turn: when the playbook chose a tool and the model has no tool format of
    /// its own, the call is required (a grammar holds the model to that tool; it fills only the arguments);
    /// otherwise the tools are offered as usual, the choice being a hint in the prompt.
    /// </summary>
    private PromptExecutionSettings? ToolSettingsFor(TurnDecision? decision)
    {
        if (kernel.Plugins.Count == 0)
        {
            return null;
        }

        if (decision is not null && FindTool(decision.Action) is { } tool
            && ServiceProvider.GetService<Inference.Llama.LocalModel>() is { } model && Inference.Tools.ToolFormatDetector.Detect(model) == Inference.Tools.ToolFormat.None)
        {
            return new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required([tool]) };
        }

        return ToolSettings;
    }

    private ConversationRecord? CurrentConversation() =>
        state.State.Conversations.FirstOrDefault(c => c.Id == state.State.CurrentConversationId);

    private ConversationRecord StartConversation()
    {
        var now = time.GetUtcNow();
        var conversation = new ConversationRecord
        {
            Id = $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            Started = now,
            LastActive = now,
        };
        state.State.Conversations.Add(conversation);
        state.State.CurrentConversationId = conversation.Id;
        return conversation;
    }

    private SkChatHistory BuildHistory(ConversationRecord conversation, string message, TurnDecision? decision)
    {
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

        var history = new SkChatHistory(system.ToString());
        foreach (var turn in conversation.Turns)
        {
            history.AddUserMessage(turn.UserMessage);
            if (turn.Reply.Length > 0)
            {
                history.AddAssistantMessage(turn.Reply);
            }
        }

        history.AddUserMessage(message);
        return history;
    }

    private ConversationSummary Summarize(ConversationRecord c) =>
        new(c.Id, c.Title.Length > 0 ? c.Title : "(empty)", c.Started, c.LastActive, c.Turns.Count, c.Id == state.State.CurrentConversationId);

    private static int OutputTokens(StreamingChatMessageContent chunk)
    {
        // Semantic Kernel's adapter carries the client's UsageContent in the chunk's metadata.
        return chunk.Metadata is not null
            && chunk.Metadata.TryGetValue(UsageMetadataKey, out var value)
            && value is UsageContent { Details.OutputTokenCount: long count }
            ? (int)count
            : 0;
    }


    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn {Turn} of conversation {Conversation} started.")]
    private static partial void LogTurnStarted(ILogger logger, string conversation, int turn);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn of conversation {Conversation} recorded: {Tokens} tokens, interrupted: {Interrupted}.")]
    private static partial void LogTurnRecorded(ILogger logger, string conversation, int tokens, bool interrupted);
}
