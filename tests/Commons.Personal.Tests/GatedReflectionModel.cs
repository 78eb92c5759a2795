using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Commons.Personal.Tests;

/// <summary>
/// A hand-written stand-in for the model in the one place its timing is the point: replies stream
/// at once, and a reflection (a non-streaming call) waits until the test lets it answer.
/// </summary>
internal sealed class GatedReflectionModel(string reflection) : IChatCompletionService
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    /// <summary>Completes when a reflection has asked the model.</summary>
    public Task ReflectionStarted => _started.Task;

    public bool ReflectionAnswered { get; private set; }

    public void Release() => _release.TrySetResult();

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        _started.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        ReflectionAnswered = true;
        return [new ChatMessageContent(AuthorRole.Assistant, reflection)];
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "Pasta with tomatoes.");
    }
}
