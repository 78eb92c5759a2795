using System.Runtime.CompilerServices;
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
    // While a reply streams: what the person saw when they stopped it, if they did (see KeepShownReplyAsync).
    private bool _streaming;
    private string? _shownWhenStopped;

    /// <summary>The action "answer directly, with no tool".</summary>
    public const string ReplyAction = "reply";

    public async IAsyncEnumerable<string> ChatAsync(string message, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var conversation = CurrentConversation() ?? StartConversation();
        await foreach (var update in RunTurnAsync(conversation, new TurnRequest(message), cancellationToken))
        {
            if (update.Text.Length > 0)
            {
                yield return update.Text;
            }

            if (update.Finish?.Note is { } note)
            {
                yield return note;
            }
        }
    }

    /// <summary>
    /// A reply the local model's context window cut (not the reply limit) ends mid-sentence: the person is told
    /// why, on the screen only (the turn keeps the reply as the model wrote it).
    /// </summary>
    private string? WindowFullNote(TurnFinish finish)
    {
        var model = ServiceProvider.GetService<Inference.Llama.ModelSlot>()?.Current;
        return model is not null && finish.Reason == "length" && finish.CompletionTokens < model.Options.MaxTokens
            && Inference.Llama.PromptWindow.IsFull(model, finish.PromptTokens, finish.CompletionTokens)
            ? $"\n(reply cut: the model's context window of {model.ContextSize} tokens is full; --context-size sets a larger one)"
            : null;
    }

    public async IAsyncEnumerable<TurnUpdate> CompleteAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Message);
        var conversation = ConversationFor(request.ConversationKey);
        await foreach (var update in RunTurnAsync(conversation, request, cancellationToken))
        {
            yield return update;
        }
    }

    public Task<FeedbackOutcome> FeedbackOnTurnAsync(TurnReference turn, Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var record = state.State.Conversations.FirstOrDefault(c => c.Id == turn.ConversationId)?.Turns is { } turns
            && turn.Index >= 0 && turn.Index < turns.Count ? turns[turn.Index] : null;
        return FeedbackOnAsync(record, feedback);
    }

    public Task<FeedbackOutcome> FeedbackAsync(Feedback feedback) =>
        FeedbackOnAsync(CurrentConversation()?.Turns.LastOrDefault(t => t.EpisodeId is not null), feedback);

    private async Task<FeedbackOutcome> FeedbackOnAsync(ChatTurn? last, Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
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
            _reflection = background.Run(ReflectionWork, cancellationToken => ReflectInBackgroundAsync(playbook, cancellationToken));
        }

        return outcome;
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

    private ConversationRecord? CurrentConversation() =>
        state.State.Conversations.FirstOrDefault(c => c.Id == state.State.CurrentConversationId);

    /// <summary>A new conversation; one a program starts (<paramref name="id"/> given or not) does not become the chat's current one.</summary>
    private ConversationRecord StartConversation(bool makeCurrent = true, string? id = null)
    {
        var now = time.GetUtcNow();
        var conversation = new ConversationRecord
        {
            Id = id ?? $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
            Started = now,
            LastActive = now,
        };
        state.State.Conversations.Add(conversation);
        if (makeCurrent)
        {
            state.State.CurrentConversationId = conversation.Id;
        }

        return conversation;
    }

    /// <summary>
    /// The conversation a program's turn belongs to: none named, a new one of its own (the client sends the
    /// history); <see cref="ConversationKeys.Current"/>, the chat's current one; else the one of that name, started if new.
    /// </summary>
    private ConversationRecord ConversationFor(string? key)
    {
        if (key is null)
        {
            return StartConversation(makeCurrent: false);
        }

        if (!ConversationKeys.IsValid(key))
        {
            throw new ArgumentException("A conversation key is 1 to 100 letters, digits or . _ : -.", nameof(key));
        }

        return key == ConversationKeys.Current
            ? CurrentConversation() ?? StartConversation()
            : state.State.Conversations.FirstOrDefault(c => c.Id == key) ?? StartConversation(makeCurrent: false, id: key);
    }

    private ConversationSummary Summarize(ConversationRecord c) =>
        new(c.Id, c.Title.Length > 0 ? c.Title : "(empty)", c.Started, c.LastActive, c.Turns.Count, c.Id == state.State.CurrentConversationId);


    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn {Turn} of conversation {Conversation} started.")]
    private static partial void LogTurnStarted(ILogger logger, string conversation, int turn);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Turn of conversation {Conversation} recorded: {Tokens} tokens, interrupted: {Interrupted}.")]
    private static partial void LogTurnRecorded(ILogger logger, string conversation, int tokens, bool interrupted);
}
