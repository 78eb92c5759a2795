using Microsoft.Extensions.AI;

namespace Commons.Inference.Llama;

/// <summary>The <see cref="IChatClient"/> of whichever model a <see cref="ModelSlot"/> holds when a reply starts.</summary>
public sealed class SlotChatClient(ModelSlot slot) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Client().GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Client().GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ModelSlot) ? slot : Client().GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The slot's owner disposes the models.
    }

    // A client is a view of one model (it holds no other state), so one per reply costs nothing.
    private LlamaChatClient Client() => new(slot.Current);
}
