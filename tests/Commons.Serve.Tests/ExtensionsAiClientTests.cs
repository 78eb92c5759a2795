using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Commons.Serve.Tests;

/// <summary>Microsoft.Extensions.AI.OpenAI's <see cref="IChatClient"/> and embedding generator against a <c>commons serve</c> process.</summary>
[Collection(ServeCollection.Name)]
public sealed class ExtensionsAiClientTests(ServeFixture fixture)
{
    private OpenAIClient OpenAi => new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.Serve.Endpoint });

    private IChatClient Chat => OpenAi.GetChatClient(ServeProcess.Model).AsIChatClient();

    [Fact]
    public async Task GetResponse_ReturnsTextAndUsage()
    {
        var response = await Chat.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 10 });

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(10, response.Usage?.OutputTokenCount);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponse_StreamsTheReplyWithUsage()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Chat.GetStreamingResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 20 }))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage?.OutputTokenCount is > 0 and <= 20);
    }

    [Fact]
    public async Task GetResponse_DeclaredToolRequired_ComesBackAsFunctionCall()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"title":{"type":"string","maxLength":30}},"required":["title"]}""");
        var tool = AIFunctionFactory.CreateDeclaration("add_reminder", "Adds a reminder.", schema.RootElement.Clone());

        var response = await Chat.GetResponseAsync("Remind me to buy milk", new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny });

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("add_reminder", call.Name);
        Assert.True(call.Arguments?.ContainsKey("title"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponse_JsonSchemaFormat_ParsesIntoTheType()
    {
        // Seeded: unseeded, the tiny model sometimes kept writing the name until the 200 tokens ran out,
        // and the JSON was never closed.
        var response = await Chat.GetResponseAsync<Pet>("Describe a pet.", new ChatOptions { MaxOutputTokens = 200, Seed = 7 });

        Assert.True(response.TryGetResult(out var pet), response.Text);
        Assert.NotNull(pet.Name);
    }

    [Fact]
    public async Task EmbeddingGenerator_Gives384Dimensions()
    {
        using var generator = OpenAi.GetEmbeddingClient("all-MiniLM-L6-v2").AsIEmbeddingGenerator();

        var vectors = await generator.GenerateAsync(["a note about lunch", "a reminder to call mum"]);

        Assert.Equal(2, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(384, v.Vector.Length));
    }

    /// <summary>The shape a JSON-schema reply is asked to fill.</summary>
    public sealed record Pet(string Name, int Legs);
}
