using System.ClientModel;
using Commons.Cli.Tests;
using OpenAI;
using OpenAI.Chat;

namespace Commons.Serve.Tests;

/// <summary>
/// A <c>max_tokens</c> larger than the model's context window, through the official OpenAI .NET library: the reply
/// runs to the window's end and comes back with finish_reason "length", as OpenAI's API answers a cut reply
/// (it used to fail with a server error, LLamaSharp's ContextOverflowException inside). The random tiny model,
/// sampled greedily, writes on without an end-of-turn token, so the window does fill.
/// </summary>
public sealed class ContextEndApiTests : IAsyncLifetime
{
    private const int ContextSize = 256;
    private ServeProcess? _serve;

    private ChatClient Chat => new OpenAIClient(new ApiKeyCredential("no-key-needed-on-loopback"), new OpenAIClientOptions { Endpoint = _serve!.Endpoint })
        .GetChatClient("llama-2-tiny-random");

    public async Task InitializeAsync() => _serve = await ServeProcess.StartOnAsync(SharedModels.TinyRandom, ContextSize);

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
    }

    [Fact]
    public async Task CompleteChat_MaxTokensBeyondTheContextWindow_ReturnsTheReplyCutAsLength()
    {
        ChatCompletion completion = await Chat.CompleteChatAsync(
            [new UserChatMessage("hello")],
            new ChatCompletionOptions { MaxOutputTokenCount = 30_000, Temperature = 0, Seed = 1 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ContextSize - 1, completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_MaxTokensBeyondTheContextWindow_EndsWithLength()
    {
        var text = "";
        ChatFinishReason? finish = null;

        await foreach (var update in Chat.CompleteChatStreamingAsync(
            [new UserChatMessage("hello")],
            new ChatCompletionOptions { MaxOutputTokenCount = 30_000, Temperature = 0, Seed = 1 }))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.False(string.IsNullOrEmpty(text));
    }
}
