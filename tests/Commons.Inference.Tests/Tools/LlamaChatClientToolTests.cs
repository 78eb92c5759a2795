using System.Text.Json;
using Commons.Inference.Llama;
using Commons.Inference.Tests.Gguf;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Tools;

/// <summary>Tool calling through <see cref="LlamaChatClient"/> on the tiny model (no tool format of its own).</summary>
public sealed class LlamaChatClientToolTests : IDisposable
{
    private readonly LocalModel _model = LocalModel.Load(
        TestModels.PathOf(TestModels.Stories260K),
        new ModelOptions { MaxTokens = 64, Temperature = 0, ContextSize = 2048, Threads = 2 },
        NullLoggerFactory.Instance);

    [Fact]
    public async Task GetResponseAsync_RequireSpecific_ReturnsValidCallToThatTool()
    {
        using var client = new LlamaChatClient(_model);
        var options = new ChatOptions { Tools = [SampleTools.NotesSearch, SampleTools.TimeNow], ToolMode = ChatToolMode.RequireSpecific("notes_search") };

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Find my note about milk.")], options);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Null(call.Exception);
        Assert.Equal("notes_search", call.Name);
        Assert.Equal(JsonValueKind.String, ((JsonElement)call.Arguments!["query"]!).ValueKind);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_AutoModeOnModelWithoutToolFormat_AnswersInText()
    {
        using var client = new LlamaChatClient(_model);
        var options = new ChatOptions { Tools = [SampleTools.NotesSearch], ToolMode = ChatToolMode.Auto };

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], options);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public async Task GetResponseAsync_HistoryWithCallAndResult_RendersThemAndAnswers()
    {
        using var client = new LlamaChatClient(_model);
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "Find my note about milk."),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "notes_search", new Dictionary<string, object?> { ["query"] = "milk" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "[{\"id\":1,\"text\":\"Buy milk\"}]")]),
        ];

        var response = await client.GetResponseAsync(messages);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }

    public void Dispose() => _model.Dispose();
}
