using Commons.Abstractions.Learning;

namespace Commons.Abstractions.Agents;

/// <summary>
/// A person's assistant: the conversation loop and the conversations it keeps. Keyed by the user's id.
/// </summary>
[Alias("Commons.IPersonalAgentGrain")]
public interface IPersonalAgentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sends a message in the current conversation and streams the reply as it is generated.
    /// Cancelling stops the reply; the turn is kept, marked as interrupted.
    /// </summary>
    [Alias("Chat")]
    IAsyncEnumerable<string> ChatAsync(string message, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person stopped the reply after seeing <paramref name="shown"/>: the turn keeps exactly that,
    /// marked as interrupted; text the model made that the screen never showed is not kept.
    /// </summary>
    [Alias("KeepShownReply")]
    Task KeepShownReplyAsync(string shown);

    /// <summary>
    /// A turn asked for by a program (the OpenAI-compatible API): the same loop as <see cref="ChatAsync"/>
    /// (playbook, persona, the agent's tools, learning, the turn recorded), with the client's sampling, tools
    /// and response format. The first update names the turn; the last says how it finished.
    /// </summary>
    [Alias("Complete")]
    IAsyncEnumerable<TurnUpdate> CompleteAsync(TurnRequest request, CancellationToken cancellationToken = default);

    /// <summary>Feedback on one reply, named by its turn; not applied when the turn is unknown or had no episode.</summary>
    [Alias("FeedbackOnTurn")]
    Task<FeedbackOutcome> FeedbackOnTurnAsync(TurnReference turn, Feedback feedback);

    /// <summary>Starts a fresh conversation and makes it the current one.</summary>
    [Alias("NewConversation")]
    Task<ConversationSummary> NewConversationAsync();

    /// <summary>Makes an earlier conversation the current one; false when no conversation has that id.</summary>
    [Alias("OpenConversation")]
    Task<bool> OpenConversationAsync(string conversationId);

    /// <summary>All conversations, oldest first.</summary>
    [Alias("ListConversations")]
    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync();

    /// <summary>
    /// Feedback on the last reply (<c>/good</c>, <c>/bad</c>, <c>/fix TEXT</c>); the playbook entries it
    /// used are credited, and a correction becomes an entry. Reflection runs when it is due.
    /// </summary>
    [Alias("Feedback")]
    Task<FeedbackOutcome> FeedbackAsync(Feedback feedback);

    /// <summary>Asks the model to propose small playbook changes from recent feedback and merges them.</summary>
    [Alias("Reflect")]
    Task<ReflectionResult> ReflectAsync();

    /// <summary>Why the last reply of the current conversation went as it did (<c>/why</c>); null when there is nothing to explain.</summary>
    [Alias("ExplainLastTurn")]
    Task<TurnExplanation?> ExplainLastTurnAsync();

    /// <summary>The turns of the current conversation (empty when there is none yet).</summary>
    [Alias("GetCurrentTurns")]
    Task<IReadOnlyList<ChatTurn>> GetCurrentTurnsAsync();
}
