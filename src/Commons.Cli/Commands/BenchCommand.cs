using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Commons.Personal.Agents;
using Commons.Personal.Hosting;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons bench generation</c>: tokens per second of the Commons generation path (grain, Kernel,
/// IChatClient, streaming) against plain LLamaSharp on the same loaded weights, prompt and
/// settings, measured alternately in one run.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The request every benchmark round sends (with its chapter number).</summary>
    internal const string Message = "Tell me a long story about a lighthouse keeper.";

    public static Command Create()
    {
        var bench = new Command("bench", "Measure Commons against baselines.");
        var generation = new Command("generation", "Tokens/s of the commons chat path against plain LLamaSharp (same model, prompt and settings; always greedy, --max-tokens tokens a round).");
        var model = new ModelSettingsOptions(generation);
        var rounds = RoundsOption("Measured rounds per phase (after one warm-up each).");
        generation.Options.Add(rounds);
        generation.SetAction(async (parse, cancellationToken) =>
        {
            var roundCount = ReadRounds(parse, rounds);

            // Reply length is the product's (Model:MaxTokens, or --max-tokens); sampling is greedy so
            // that both paths make the same tokens.
            var settings = new Dictionary<string, string?>(model.Resolve(parse))
            {
                ["Model:Temperature"] = "0",
                // The comparison is plain generation: no tool schemas in the prompt.
                ["Tools:Enabled"] = "false",
            };

            // Two phases, each paired against plain LLamaSharp in the same silo run: the generation
            // path alone (learning off), then with learning on, which adds the playbook's work to
            // every turn (embedding the message, choosing entries, logging the episode).
            var results = new List<(string Path, Comparison Result)>();
            foreach (var learning in new[] { false, true })
            {
                settings["Agent:Learning"] = learning ? "true" : "false";
                // A scratch data folder: the benchmark must not add conversations to the person's own.
                var scratch = new CommonsHome(Path.Combine(Path.GetTempPath(), $"commons-bench-{Environment.ProcessId}"));
                try
                {
                    await using var silo = await PersonalSilo.StartAsync(scratch, settings, model.ConfigureLogging(parse), cancellationToken);
                    var path = learning ? "commons with learning (+ playbook selection per turn)" : "commons generation path (grain + Kernel + IChatClient + streaming)";
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(path)}[/]");
                    results.Add((path, await RunAsync(silo, roundCount, cancellationToken)));
                }
                finally
                {
                    Directory.Delete(scratch.Root, recursive: true);
                }
            }

            foreach (var (path, result) in results)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"overhead of the {path}: {result.Overhead:F2}% (95% interval {result.Low:F2}% to {result.High:F2}%; median of {roundCount} paired rounds; " +
                    $"medians: commons {result.Commons:F1} tok/s vs plain {result.Plain:F1} tok/s; first token {result.CommonsFirstToken:F1} ms vs {result.PlainFirstToken:F1} ms)"));
            }

            return 0;
        });
        bench.Subcommands.Add(generation);
        bench.Subcommands.Add(PlaybookBench.Create());
        bench.Subcommands.Add(ServeBench.Create());
        return bench;
    }

    private static async Task<Comparison> RunAsync(PersonalSilo silo, int rounds, CancellationToken cancellationToken)
    {
        var model = silo.Model;
        var persona = silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Persona;
        var agent = silo.Agent;

        AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(model.FilePath)} · {model.Options.MaxTokens} tokens · greedy · context {model.ContextSize} · threads {model.Parameters.Threads} · {rounds} rounds + 1 warm-up[/]");
        var baseline = new List<Run>();
        var commons = new List<Run>();
        for (var round = 0; round <= rounds; round++)
        {
            // A different request each round, as in a conversation (the same one again right away
            // would be taken as the person restating it); both paths get the same prompt.
            var message = $"{Message} Chapter {round + 1}.";
            var prompt = PromptWindow.Fit(model, [new(ChatRole.System, persona), new(ChatRole.User, message)], model.Options.MaxTokens).Text;
            // The order alternates, so that a drift in the machine's speed (other work, thermal
            // limits) does not always fall on the same path.
            Run plain, ours;
            if (round % 2 == 0)
            {
                plain = await PlainLlamaSharpAsync(model, prompt, cancellationToken);
                ours = await CommonsPathAsync(agent, message, cancellationToken);
            }
            else
            {
                ours = await CommonsPathAsync(agent, message, cancellationToken);
                plain = await PlainLlamaSharpAsync(model, prompt, cancellationToken);
            }

            if (round > 0)
            {
                baseline.Add(plain);
                commons.Add(ours);
            }

            AnsiConsole.MarkupLine($"[grey]round {round}{(round == 0 ? " (warm-up)" : "")}: plain {plain.TokensPerSecond:F0} tok/s · commons {ours.TokensPerSecond:F0} tok/s[/]");
        }

        var baseMedian = Median(baseline.Select(r => r.TokensPerSecond));
        var oursMedian = Median(commons.Select(r => r.TokensPerSecond));
        // Each round's two runs are a pair measured back to back; the median of the paired
        // differences is less sensitive to the machine's drift than the difference of medians.
        var differences = baseline.Zip(commons, (p, c) => (p.TokensPerSecond - c.TokensPerSecond) / p.TokensPerSecond * 100).ToList();
        var (paired, low, high) = PairedBlocks.Bootstrap(differences, Median);
        var plainFirst = Median(baseline.Select(r => r.FirstTokenMilliseconds));
        var oursFirst = Median(commons.Select(r => r.FirstTokenMilliseconds));
        var table = new Table().AddColumns("path", "median tok/s", "min", "max", "median first token (ms)");
        table.AddRow("plain LLamaSharp (StatelessExecutor)", $"{baseMedian:F1}", $"{baseline.Min(r => r.TokensPerSecond):F1}", $"{baseline.Max(r => r.TokensPerSecond):F1}", $"{plainFirst:F1}");
        table.AddRow("commons", $"{oursMedian:F1}", $"{commons.Min(r => r.TokensPerSecond):F1}", $"{commons.Max(r => r.TokensPerSecond):F1}", $"{oursFirst:F1}");
        AnsiConsole.Write(table);
        return new Comparison(paired, low, high, oursMedian, baseMedian, oursFirst, plainFirst);
    }

    /// <summary>The <c>--rounds</c> option of the paired benchmarks (41 by default).</summary>
    internal static Option<int> RoundsOption(string description) => new("--rounds") { Description = description, DefaultValueFactory = _ => 41 };

    /// <summary>The rounds asked for; fewer than one is the person's mistake.</summary>
    internal static int ReadRounds(ParseResult parse, Option<int> rounds)
    {
        var count = parse.GetValue(rounds);
        return count >= 1 ? count : throw new CommonsException("--rounds must be at least 1.");
    }

    /// <summary>One phase's result: the paired overhead with its interval, and the medians behind it.</summary>
    private sealed record Comparison(double Overhead, double Low, double High, double Commons, double Plain, double CommonsFirstToken, double PlainFirstToken);

    /// <summary>One measured reply: tokens per second over the whole request, and the time to its first token.</summary>
    private readonly record struct Run(double TokensPerSecond, double FirstTokenMilliseconds);

    private static async Task<Run> PlainLlamaSharpAsync(LocalModel model, string prompt, CancellationToken cancellationToken)
    {
        var executor = new StatelessExecutor(model.Weights, model.Parameters) { ApplyTemplate = false };
        var inference = new InferenceParams
        {
            // The same cap the product's path applies: a reply ends where the window is full, not with LLamaSharp's overflow exception.
            MaxTokens = Math.Min(model.Options.MaxTokens, Inference.Llama.PromptWindow.ReplyRoom(model, model.CountTokens(prompt))),
            SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0, Seed = model.Options.Seed ?? 0, TopP = 0.95f },
        };
        var tokens = 0;
        var firstToken = 0.0;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken))
        {
            if (tokens++ == 0)
            {
                firstToken = stopwatch.Elapsed.TotalMilliseconds;
            }

            Sink(piece);
        }

        return new Run(tokens / stopwatch.Elapsed.TotalSeconds, firstToken);
    }

    private static async Task<Run> CommonsPathAsync(Abstractions.Agents.IPersonalAgentGrain agent, string message, CancellationToken cancellationToken)
    {
        await agent.NewConversationAsync();
        var firstToken = 0.0;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var piece in agent.ChatAsync(message, cancellationToken))
        {
            if (firstToken == 0)
            {
                firstToken = stopwatch.Elapsed.TotalMilliseconds;
            }

            Sink(piece);
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var turns = await agent.GetCurrentTurnsAsync();
        return new Run(turns[^1].ReplyTokens / elapsed, firstToken);
    }

    private static void Sink(string piece) => GC.KeepAlive(piece);

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
