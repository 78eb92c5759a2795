using Commons.Inference.Llama;
using Commons.Inference.Tests.Gguf;
using Commons.Inference.Tests.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Llama;

/// <summary>
/// A reply budget larger than the context window: the reply runs to the window's end and is reported as cut
/// ("length"); it never ends in LLamaSharp's ContextOverflowException. The random tiny model, sampled greedily,
/// writes on without an end-of-turn token, so the window does fill.
/// </summary>
public sealed class ContextEndTests : IDisposable
{
    private readonly LocalModel _model = LocalModel.Load(
        TestModels.PathOf(TestModels.TinyRandomLlama),
        new ModelOptions { MaxTokens = 32, Temperature = 0, ContextSize = 256, Threads = 2, Seed = 1 },
        NullLoggerFactory.Instance);

    [Fact]
    public async Task GetResponseAsync_MaxTokensBeyondContext_RunsToTheWindowsEndAsLength()
    {
        using var client = new LlamaChatClient(_model);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = 30_000 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(_model.ContextSize - 1, response.Usage!.InputTokenCount + response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MaxTokensBeyondContextWithTools_EndsAsLength()
    {
        using var client = new LlamaChatClient(_model);
        var options = new ChatOptions { MaxOutputTokens = 30_000, Tools = [SampleTools.NotesSearch, SampleTools.TimeNow], ToolMode = ChatToolMode.Auto };
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.System, "You help."), new ChatMessage(ChatRole.User, "hello")], options))
        {
            updates.Add(update);
        }

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(ChatFinishReason.Length, updates.Last().FinishReason);
        Assert.True(usage.InputTokenCount + usage.OutputTokenCount <= _model.ContextSize - 1);
    }

    [Fact]
    public async Task GetResponseAsync_MaxTokensBeyondContext_KeepsTheSystemPromptAndTheQuestion()
    {
        // A system prompt of about half the window: a reply budget past the window used to reserve half of
        // it for the reply, cut the question to its last character and then drop the system prompt.
        var system = string.Join(' ', Enumerable.Repeat("Answer briefly and kindly.", 20));
        using var client = new LlamaChatClient(_model);
        var alone = await client.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, "what is the weather like")], new ChatOptions { MaxOutputTokens = 1 });

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, "what is the weather like")], new ChatOptions { MaxOutputTokens = 30_000 });

        Assert.InRange(alone.Usage!.InputTokenCount!.Value, _model.ContextSize / 2, _model.ContextSize - PromptWindow.MinimumReplyTokens);
        Assert.Equal(alone.Usage.InputTokenCount, response.Usage!.InputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_MaxTokensThatFit_StillEndsAtMaxTokens()
    {
        using var client = new LlamaChatClient(_model);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = 20 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(20, response.Usage!.OutputTokenCount);
    }

    public void Dispose() => _model.Dispose();
}
