using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Llama;

/// <summary>
/// The <see cref="IChatClient"/> of a <see cref="ModelSlot"/>: each reply rents its model for as long as it is
/// written (the one <see cref="ChatOptions.ModelId"/> names by its file, when a request picked one; else the one
/// in use) and goes out under that model's name.
/// </summary>
public sealed class SlotChatClient(ModelSlot slot) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var lease = slot.Rent(options?.ModelId);
        var response = await new LlamaChatClient(lease.Model).GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.ModelId = lease.Name;
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var lease = slot.Rent(options?.ModelId);
        await foreach (var update in new LlamaChatClient(lease.Model).GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            update.ModelId = lease.Name;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ModelSlot) ? slot : new LlamaChatClient(slot.Current).GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The slot's owner disposes the models.
    }
}
