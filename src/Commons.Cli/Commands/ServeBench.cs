using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Serve.Hosting;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons bench serve</c>: tokens per second and first-token time of a turn through the HTTP API
/// (<c>POST /v1/chat/completions</c>, streamed over loopback) against the same turn in process (the agent
/// grain's stream), on one server and model, alternating, in one run.
/// </summary>
internal static class ServeBench
{
    public static Command Create()
    {
        var command = new Command("serve", "Tokens/s and first-token time through commons serve's OpenAI-compatible API against the in-process path (same server, model and prompt; greedy).");
        var model = new ModelSettingsOptions(command);
        var rounds = BenchCommand.RoundsOption("Measured rounds (after one warm-up).");
        command.Options.Add(rounds);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var roundCount = BenchCommand.ReadRounds(parse, rounds);

            var settings = new Dictionary<string, string?>(model.Resolve(parse))
            {
                ["Model:Temperature"] = "0",
                ["Tools:Enabled"] = "false",
                ["PoolSync:IntervalSeconds"] = "0",
                ["Serve:Urls"] = "http://127.0.0.1:0",
            };
            // A scratch data folder: the benchmark must not add conversations to the person's own.
            var scratch = new CommonsHome(Path.Combine(Path.GetTempPath(), $"commons-bench-serve-{Environment.ProcessId}"));
            try
            {
                await using var server = await CommonsServer.StartAsync(scratch, settings, model.ConfigureLogging(parse), cancellationToken);
                using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(5) };
                await RunAsync(server, http, roundCount, cancellationToken);
            }
            finally
            {
                Directory.Delete(scratch.Root, recursive: true);
            }

            return 0;
        });
        return command;
    }

    private static async Task RunAsync(CommonsServer server, HttpClient http, int rounds, CancellationToken cancellationToken)
    {
        var modelName = server.Silo.Model.Name;
        var maxTokens = server.Silo.Model.Options.MaxTokens;
        AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(modelName)} · up to {maxTokens} tokens · greedy · API at {server.Url} · {rounds} rounds + 1 warm-up[/]");
        var inProcess = new List<Run>();
        var api = new List<Run>();
        for (var round = 0; round <= rounds; round++)
        {
            // A new conversation with a different request each round; both paths get the same one.
            var message = $"{BenchCommand.Message} Chapter {round + 1}.";
            Run local, remote;
            if (round % 2 == 0)
            {
                local = await InProcessAsync(server, message, maxTokens, cancellationToken);
                remote = await ApiAsync(http, modelName, message, maxTokens, cancellationToken);
            }
            else
            {
                remote = await ApiAsync(http, modelName, message, maxTokens, cancellationToken);
                local = await InProcessAsync(server, message, maxTokens, cancellationToken);
            }

            if (round > 0)
            {
                inProcess.Add(local);
                api.Add(remote);
            }

            AnsiConsole.MarkupLine($"[grey]round {round}{(round == 0 ? " (warm-up)" : "")}: in process {local.TokensPerSecond:F0} tok/s, first token {local.FirstTokenMilliseconds:F1} ms · API {remote.TokensPerSecond:F0} tok/s, first token {remote.FirstTokenMilliseconds:F1} ms[/]");
        }

        // Paired rounds: the median of the differences, with a bootstrap interval, as 'bench generation' reports.
        var slower = inProcess.Zip(api, (l, r) => (l.TokensPerSecond - r.TokensPerSecond) / l.TokensPerSecond * 100).ToList();
        var later = inProcess.Zip(api, (l, r) => r.FirstTokenMilliseconds - l.FirstTokenMilliseconds).ToList();
        var (slowLow, slowHigh) = BenchCommand.BootstrapInterval(slower);
        var (lateLow, lateHigh) = BenchCommand.BootstrapInterval(later);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"API tokens/s cost: {BenchCommand.Median(slower):F2}% (95% interval {slowLow:F2}% to {slowHigh:F2}%); " +
            $"API first-token cost: {BenchCommand.Median(later):F2} ms (95% interval {lateLow:F2} to {lateHigh:F2} ms); median of {rounds} paired rounds; " +
            $"medians: in process {BenchCommand.Median(inProcess.Select(r => r.TokensPerSecond)):F1} tok/s, first token {BenchCommand.Median(inProcess.Select(r => r.FirstTokenMilliseconds)):F1} ms; " +
            $"API {BenchCommand.Median(api.Select(r => r.TokensPerSecond)):F1} tok/s, first token {BenchCommand.Median(api.Select(r => r.FirstTokenMilliseconds)):F1} ms"));
    }

    /// <summary>One measured reply: tokens per second over the whole request, and the time to its first text.</summary>
    private readonly record struct Run(double TokensPerSecond, double FirstTokenMilliseconds);

    private static async Task<Run> InProcessAsync(CommonsServer server, string message, int maxTokens, CancellationToken cancellationToken)
    {
        var request = new TurnRequest(message, Sampling: new TurnSampling(MaxTokens: maxTokens));
        var firstToken = 0.0;
        var tokens = 0;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var update in server.Silo.Agent.CompleteAsync(request, cancellationToken))
        {
            if (firstToken == 0 && update.Text.Length > 0)
            {
                firstToken = stopwatch.Elapsed.TotalMilliseconds;
            }

            tokens = update.Finish?.CompletionTokens ?? tokens;
        }

        return new Run(tokens / stopwatch.Elapsed.TotalSeconds, firstToken);
    }

    private static async Task<Run> ApiAsync(HttpClient http, string model, string message, int maxTokens, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = message } },
            ["max_tokens"] = maxTokens,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
        });
        var firstToken = 0.0;
        var tokens = 0;
        var stopwatch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        // A client has the whole reply at [DONE], as OpenAI's libraries read a stream.
        while (await reader.ReadLineAsync(cancellationToken) is { } line && line != "data: [DONE]")
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            var root = chunk.RootElement;
            if (firstToken == 0 && root.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 })
            {
                firstToken = stopwatch.Elapsed.TotalMilliseconds;
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                tokens = usage.GetProperty("completion_tokens").GetInt32();
            }
        }

        return new Run(tokens / stopwatch.Elapsed.TotalSeconds, firstToken);
    }
}
