using Commons.Inference.Llama;
using Commons.Inference.Tests.Gguf;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Llama;

/// <summary>Real generation through LLamaSharp with the tiny stories model.</summary>
public sealed class LlamaChatClientTests : IDisposable
{
    private readonly LocalModel _model = LocalModel.Load(
        TestModels.PathOf(TestModels.Stories260K),
        new ModelOptions { MaxTokens = 32, Temperature = 0, ContextSize = 256, Threads = 2 },
        NullLoggerFactory.Instance);

    [Fact]
    public async Task GetStreamingResponseAsync_StoriesModel_StreamsTextAndReportsUsage()
    {
        using var client = new LlamaChatClient(_model);
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]))
        {
            updates.Add(update);
        }

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "text should arrive token by token");
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.InRange(usage.Details.OutputTokenCount ?? 0, 1, 32);
        Assert.True(usage.Details.InputTokenCount > 0);
    }

    [Fact]
    public async Task GetResponseAsync_SameSeedGreedy_IsReproducible()
    {
        using var client = new LlamaChatClient(_model);
        ChatMessage[] prompt = [new(ChatRole.User, "The cat")];

        var first = await client.GetResponseAsync(prompt);
        var second = await client.GetResponseAsync(prompt);

        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task GetResponseAsync_HistoryLongerThanContext_DropsOldestTurnsInsteadOfFailing()
    {
        using var client = new LlamaChatClient(_model);
        var messages = new List<ChatMessage> { new(ChatRole.System, "You tell stories.") };
        for (var i = 0; i < 40; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Turn {i}: the little dog ran to the park and played with a ball all day long."));
            messages.Add(new ChatMessage(ChatRole.Assistant, "The dog was happy and the sun was warm and bright in the sky."));
        }

        messages.Add(new ChatMessage(ChatRole.User, "What happened next?"));

        var response = await client.GetResponseAsync(messages);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage!.InputTokenCount <= _model.ContextSize);
        Assert.True(response.Usage.AdditionalCounts!["DroppedMessages"] > 0);
    }

    [Fact]
    public void Fit_HistoryLongerThanContext_DropsTheFewestOldestTurnsThatMakeItFit()
    {
        var system = new ChatMessage(ChatRole.System, "You tell stories.");
        var turns = Enumerable.Range(0, 60)
            .Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"Turn {i}: the little dog ran to the park and played with a ball all day long."))
            .ToList();

        var rendered = PromptWindow.Fit(_model, [system, .. turns], maxReplyTokens: 64);
        var dropped = rendered.DroppedMessages;
        var oneMore = PromptWindow.Fit(_model, [system, .. turns.Skip(dropped - 1)], maxReplyTokens: 64);
        var exactly = PromptWindow.Fit(_model, [system, .. turns.Skip(dropped)], maxReplyTokens: 64);

        Assert.InRange(dropped, 1, turns.Count - 1);
        Assert.True(rendered.TokenCount <= _model.ContextSize - 64);
        Assert.Contains("Turn 59:", rendered.Text, StringComparison.Ordinal);
        // Keeping one more of the old turns would not have fitted; dropping these is already enough.
        Assert.Equal(1, oneMore.DroppedMessages);
        Assert.Equal(0, exactly.DroppedMessages);
        Assert.Equal(rendered.Text, exactly.Text);
    }

    [Fact]
    public void Fit_LatestMessageAloneTooLong_KeepsItsEndWithinTheWindow()
    {
        var huge = string.Join(' ', Enumerable.Repeat("word", 2000)) + " final question";

        var rendered = PromptWindow.Fit(_model, [new ChatMessage(ChatRole.User, huge)], maxReplyTokens: 32);

        Assert.True(rendered.TokenCount <= _model.ContextSize - 32);
        Assert.Contains("final question", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelWithoutChatTemplate_FallsBackToChatml()
    {
        Assert.False(_model.TemplateFromFile);
        Assert.Equal(LocalModel.FallbackTemplate, _model.TemplateName);
        var rendered = PromptWindow.Fit(_model, [new ChatMessage(ChatRole.User, "hi")], 8);
        Assert.Contains("<|im_start|>user", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_Cancelled_ThrowsAndFreesTheSlot()
    {
        using var client = new LlamaChatClient(_model);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], cancellationToken: cancel.Token));

        // The single inference slot must have been given back.
        var after = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "The cat")]);
        Assert.False(string.IsNullOrEmpty(after.Text));
    }

    public void Dispose() => _model.Dispose();
}
