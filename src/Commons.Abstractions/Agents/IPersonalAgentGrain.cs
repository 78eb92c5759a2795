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

    /// <summary>Starts a fresh conversation and makes it the current one.</summary>
    [Alias("NewConversation")]
    Task<ConversationSummary> NewConversationAsync();

    /// <summary>Makes an earlier conversation the current one; false when no conversation has that id.</summary>
    [Alias("OpenConversation")]
    Task<bool> OpenConversationAsync(string conversationId);

    /// <summary>All conversations, oldest first.</summary>
    [Alias("ListConversations")]
    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync();

    /// <summary>The turns of the current conversation (empty when there is none yet).</summary>
    [Alias("GetCurrentTurns")]
    Task<IReadOnlyList<ChatTurn>> GetCurrentTurnsAsync();
}
