using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Commons.Abstractions.Agents;
using Commons.Serve.Hosting;

namespace Commons.Cli.Commands;

/// <summary>The two paths <c>commons bench serve</c> compares: one turn in process (the agent grain's stream) and the same turn through the API.</summary>
internal static class ServeBenchPaths
{
    /// <summary>
    /// One measured reply: its tokens, the time to its first text, and the decoding time after it (first text
    /// to the whole reply in hand), so that tokens/s does not also carry the first-token time.
    /// </summary>
    public readonly record struct Run(int Tokens, double FirstTokenMilliseconds, double DecodeSeconds);

    public static async Task<Run> InProcessAsync(CommonsServer server, string message, int maxTokens, CancellationToken cancellationToken)
    {
        var request = new TurnRequest(message, Sampling: new TurnSampling(MaxTokens: maxTokens));
        var firstToken = TimeSpan.Zero;
        var tokens = 0;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var update in server.Silo.Agent.CompleteAsync(request, cancellationToken))
        {
            if (firstToken == TimeSpan.Zero && update.Text.Length > 0)
            {
                firstToken = stopwatch.Elapsed;
            }

            tokens = update.Finish?.CompletionTokens ?? tokens;
        }

        return new Run(tokens, firstToken.TotalMilliseconds, (stopwatch.Elapsed - firstToken).TotalSeconds);
    }

    public static async Task<Run> ApiAsync(HttpClient http, string model, string message, int maxTokens, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = message } },
            ["max_tokens"] = maxTokens,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
        });
        var firstToken = TimeSpan.Zero;
        var tokens = 0;
        var stopwatch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        // A client has the whole reply at [DONE], as OpenAI's libraries read a stream; every chunk is parsed,
        // as a client does.
        while (await reader.ReadLineAsync(cancellationToken) is { } line && line != "data: [DONE]")
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            var root = chunk.RootElement;
            if (firstToken == TimeSpan.Zero && root.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 })
            {
                firstToken = stopwatch.Elapsed;
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                tokens = usage.GetProperty("completion_tokens").GetInt32();
            }
        }

        return new Run(tokens, firstToken.TotalMilliseconds, (stopwatch.Elapsed - firstToken).TotalSeconds);
    }
}
