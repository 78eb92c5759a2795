using System.ClientModel;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Commons.Serve.Tests;

/// <summary>The official OpenAI .NET library, unchanged, against a <c>commons serve</c> process.</summary>
[Collection(ServeCollection.Name)]
public sealed class OpenAiClientTests(ServeFixture fixture)
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string","maxLength":20}},"required":["city"]}""";
    private const string PersonSchema = """{"type":"object","properties":{"name":{"type":"string","maxLength":20},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}""";

    private OpenAIClient Client(string key = "no-key-needed-on-loopback") =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = fixture.Serve.Endpoint });

    [Fact]
    public async Task CompleteChat_WithMaxTokens_ReturnsTextUsageAndLength()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage("Once upon a time")],
            new ChatCompletionOptions { MaxOutputTokenCount = 12, Temperature = 0.7f, Seed = 7 });

        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(ServeProcess.Model, completion.Model);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + 12, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_SendsTextInPiecesAndUsageLast()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var text = "";
        var pieces = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync(
            [new UserChatMessage("Once upon a time")],
            new ChatCompletionOptions { MaxOutputTokenCount = 40 }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text += part.Text;
                pieces++;
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.True(pieces >= 1);
        Assert.NotNull(finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount is > 0 and <= 40);
    }

    [Fact]
    public async Task CompleteChat_StopSequence_EndsTheReplyBeforeIt()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 60, Seed = 3 };
        options.StopSequences.Add(" ");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Once upon a time")], options);

        Assert.DoesNotContain(" ", completion.Content[0].Text.Trim(), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_RequiredClientTool_ReturnsToolCallWithArgumentsThatFit()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "The weather in a city.", BinaryData.FromString(WeatherSchema)));

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("What is the weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.False(string.IsNullOrEmpty(call.Id));
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
    }

    [Fact]
    public async Task CompleteChatStreaming_RequiredClientTool_StreamsTheToolCall()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "The weather in a city.", BinaryData.FromString(WeatherSchema)));
        var names = new List<string>();
        var arguments = "";
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.FunctionName is { } name)
                {
                    names.Add(name);
                }

                arguments += call.FunctionArgumentsUpdate?.ToString();
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(["get_weather"], names);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments);
        Assert.True(parsed.RootElement.TryGetProperty("city", out _));
    }

    [Fact]
    public async Task CompleteChat_JsonSchemaResponseFormat_ReplyParsesAndFitsTheSchema()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), jsonSchemaIsStrict: true),
            MaxOutputTokenCount = 200,
        };

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Describe a person.")], options);

        using var reply = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal(JsonValueKind.String, reply.RootElement.GetProperty("name").ValueKind);
        Assert.True(reply.RootElement.GetProperty("age").TryGetInt64(out _));
    }

    [Fact]
    public async Task CompleteChat_SameUserTwice_TheAgentRemembersTheConversation()
    {
        var chat = Client().GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 8, EndUserId = "conversation-" + Guid.NewGuid().ToString("N")[..8] };

        ChatCompletion first = await chat.CompleteChatAsync([new UserChatMessage("Once upon a time")], options);
        ChatCompletion second = await chat.CompleteChatAsync([new UserChatMessage("And then?")], options);

        // The second prompt holds the first exchange: the agent keeps the conversation, the client sent only the new message.
        Assert.True(second.Usage.InputTokenCount > first.Usage.InputTokenCount + first.Usage.OutputTokenCount - 2,
            $"first prompt {first.Usage.InputTokenCount} + reply {first.Usage.OutputTokenCount}, second prompt {second.Usage.InputTokenCount}");
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_IsOpenAis404WithModelNotFound()
    {
        var chat = Client().GetChatClient("gpt-imaginary");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        var detail = body.RootElement.GetProperty("error");
        Assert.Equal("model_not_found", detail.GetProperty("code").GetString());
        Assert.Equal("model", detail.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", detail.GetProperty("type").GetString());
        Assert.Contains("gpt-imaginary", detail.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_OneAndMany_Give384DimensionVectorsThatTellTextsApart()
    {
        var embeddings = Client().GetEmbeddingClient("all-MiniLM-L6-v2");

        OpenAI.Embeddings.OpenAIEmbedding one = await embeddings.GenerateEmbeddingAsync("The cat sat on the mat.");
        OpenAI.Embeddings.OpenAIEmbeddingCollection many = await embeddings.GenerateEmbeddingsAsync(["The cat sat on the mat.", "Quarterly tax filing deadline"]);

        Assert.Equal(384, one.ToFloats().Length);
        Assert.Equal(2, many.Count);
        Assert.Equal(one.ToFloats().ToArray(), many[0].ToFloats().ToArray());
        Assert.NotEqual(many[0].ToFloats().ToArray(), many[1].ToFloats().ToArray());
    }

    [Fact]
    public async Task ListModels_NamesTheChatModelAndTheEmbedder()
    {
        var models = await Client().GetOpenAIModelClient().GetModelsAsync();

        Assert.Contains(models.Value, m => m.Id == ServeProcess.Model);
        Assert.Contains(models.Value, m => m.Id == "all-MiniLM-L6-v2");
    }
}
