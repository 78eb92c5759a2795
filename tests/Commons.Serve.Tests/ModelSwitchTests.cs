using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Commons.Serve.Tests;

/// <summary>
/// Clients that ask for different installed models at the same time (each request's <c>model</c> puts its model in
/// use): every reply is written by the model it names, and none fails because another request switched models.
/// </summary>
public sealed class ModelSwitchTests
{
    private const string Stories = "stories260K";
    private const string TinyRandom = "llama-2-tiny-random";

    [Fact]
    public async Task ChatCompletions_ConcurrentRepliesWhileSwitching_NeverFailAndEachNamesTheModelThatWroteIt()
    {
        await using var serve = await ServeProcess.StartWithInstalledModelsAsync();
        var client = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = serve.Endpoint, NetworkTimeout = TimeSpan.FromMinutes(5) });
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 24, Temperature = 0, Seed = 7 };
        async Task<(string Asked, string Named, string Text)> AskAsync(string model)
        {
            ChatCompletion completion = await client.GetChatClient(model).CompleteChatAsync([new UserChatMessage("Once upon a time")], options);
            return (model, completion.Model, completion.Content[0].Text);
        }

        // What each model writes for the prompt when it is alone (greedy sampling: the same every time).
        var alone = new Dictionary<string, string>
        {
            [Stories] = (await AskAsync(Stories)).Text,
            [TinyRandom] = (await AskAsync(TinyRandom)).Text,
        };
        Assert.NotEqual(alone[Stories], alone[TinyRandom]);

        var together = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => AskAsync(i % 2 == 0 ? Stories : TinyRandom)));

        foreach (var (asked, named, text) in together)
        {
            Assert.Equal(asked, named);
            Assert.True(text == alone[named], $"A reply named {named} was not written by it: \"{text}\" (alone it writes \"{alone[named]}\").\n{serve.Process.StandardError}");
        }
    }
}
