using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Commons.Cli.Tests;
using OpenAI;
using OpenAI.Chat;

namespace Commons.Serve.Tests;

/// <summary>Bad requests get OpenAI's error object; a key, when set, is required; beyond loopback a key must be set.</summary>
[Collection(ServeCollection.Name)]
public sealed class ErrorAndAccessTests(ServeFixture fixture)
{
    [Theory]
    [InlineData("{not json", null)]
    [InlineData("""{"model":"stories260K"}""", "messages")]
    [InlineData("""{"model":"stories260K","messages":[{"role":"user","content":"hi"}],"temperature":7}""", "temperature")]
    [InlineData("""{"model":"stories260K","messages":[{"role":"user","content":"hi"}],"tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"model":"stories260K","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    public async Task ChatCompletions_BadBody_Is400WithErrorObject(string body, string? param)
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("/v1/chat/completions", """[{"role":"user","content":"hi"}]""", "an array")]
    [InlineData("/v1/chat/completions", "\"hi\"", "a string")]
    [InlineData("/v1/embeddings", "42", "a number")]
    public async Task Post_ValidJsonThatIsNoObject_Is400SayingItMustBeAJsonObject(string path, string body, string kind)
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };

        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("must be a JSON object", message, StringComparison.Ordinal);
        Assert.Contains(kind, message, StringComparison.Ordinal);
        Assert.DoesNotContain("not JSON", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheCap_Is413WithErrorObject()
    {
        // As curl does for a large body: the client asks before it sends (Expect: 100-continue), so the
        // server's early 413 is read instead of racing the upload (which ended in a broken pipe at times).
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };
        http.DefaultRequestHeaders.ExpectContinue = true;
        var huge = $$"""{"model":"stories260K","messages":[{"role":"user","content":"{{new string('a', 2 * 1024 * 1024)}}"}]}""";

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger", (await ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_FixOnACompletionId_BecomesAPlaybookEntry()
    {
        var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.Serve.Endpoint }).GetChatClient(ServeProcess.Model);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Tell me about dragons")], new ChatCompletionOptions { MaxOutputTokenCount = 6 });
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };

        using var response = await http.PostAsync("/api/feedback", Json(new { id = completion.Id, kind = "fix", text = "keep stories about dragons short" }));
        using var again = await http.PostAsync("/api/feedback", Json(new { id = completion.Id, kind = "good" }));
        using var unknown = await http.PostAsync("/api/feedback", Json(new { id = "not-an-id", kind = "good" }));

        response.EnsureSuccessStatusCode();
        using var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(outcome.RootElement.GetProperty("applied").GetBoolean());
        Assert.StartsWith("e", outcome.RootElement.GetProperty("entry_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("id", (await ErrorAsync(unknown)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task ServeWithApiKey_ClientWithoutTheKeyIsRefused_WithItAnswered()
    {
        await using var serve = await ServeProcess.StartAsync(new Dictionary<string, string> { ["COMMONS_Serve__ApiKey"] = "sesame-123" });
        ChatClient Chat(string key) => new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = serve.Endpoint }).GetChatClient(ServeProcess.Model);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 4 };

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Chat("wrong-key").CompleteChatAsync([new UserChatMessage("hi")], options));
        ChatCompletion answered = await Chat("sesame-123").CompleteChatAsync([new UserChatMessage("hi")], options);
        using var http = new HttpClient { BaseAddress = serve.Url };
        using var bare = await http.GetAsync("/v1/models");

        Assert.Equal(401, refused.Status);
        using var body = JsonDocument.Parse(refused.GetRawResponse()!.Content.ToString());
        Assert.Equal("invalid_api_key", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(answered.Content[0].Text));
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
    }

    [Fact]
    public async Task Serve_BeyondLoopbackWithoutKey_RefusesInOneSentenceWithExitCode2()
    {
        using var folder = new ScratchFolder();

        var result = await CommonsExecutable.RunAsync(folder.Home, "", "serve", "--model", SharedModels.Stories, "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("API key", line, StringComparison.Ordinal);
        Assert.Contains("Serve:ApiKey", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_Streamed_IsServerSentEventsEndingInDone()
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };
        var body = """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":10,"stream":true}""";

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        using var first = JsonDocument.Parse(events[0]["data: ".Length..]);
        Assert.Equal("chat.completion.chunk", first.RootElement.GetProperty("object").GetString());
        Assert.Equal("assistant", first.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsPermission()
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Url };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }
}
