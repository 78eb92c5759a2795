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
    private const string Message = "Tell me a long story about a lighthouse keeper.";

    public static Command Create()
    {
        var bench = new Command("bench", "Measure Commons against baselines.");
        var generation = new Command("generation", "Tokens/s of the commons chat path against plain LLamaSharp (same model, prompt and settings).");
        var model = new ModelSettingsOptions(generation);
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds per path (after one warm-up each).", DefaultValueFactory = _ => 7 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens to generate per round (default: the product's default reply length).", DefaultValueFactory = _ => 512 };
        generation.Options.Add(rounds);
        generation.Options.Add(tokens);
        generation.SetAction(async (parse, cancellationToken) =>
        {
            var roundCount = parse.GetValue(rounds);
            var tokenCount = parse.GetValue(tokens);
            if (roundCount < 1 || tokenCount < 1)
            {
                throw new CommonsException("--rounds and --tokens must be at least 1.");
            }

            var settings = new Dictionary<string, string?>(await model.ResolveAsync(parse, CommonsHome.FromEnvironment(), cancellationToken))
            {
                ["Model:Temperature"] = "0",
                // The comparison is plain generation: no tool schemas in the prompt.
                ["Tools:Enabled"] = "false",
                ["Model:MaxTokens"] = tokenCount.ToString(CultureInfo.InvariantCulture),
            };

            // A scratch data folder: the benchmark must not add conversations to the person's own.
            var scratch = new CommonsHome(Path.Combine(Path.GetTempPath(), $"commons-bench-{Environment.ProcessId}"));
            try
            {
                await using var silo = await PersonalSilo.StartAsync(scratch, settings, model.ConfigureLogging(parse), cancellationToken);
                return await RunAsync(silo, roundCount, cancellationToken);
            }
            finally
            {
                Directory.Delete(scratch.Root, recursive: true);
            }
        });
        bench.Subcommands.Add(generation);
        bench.Subcommands.Add(PlaybookBench.Create());
        return bench;
    }

    private static async Task<int> RunAsync(PersonalSilo silo, int rounds, CancellationToken cancellationToken)
    {
        var model = silo.Model;
        var persona = silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Persona;
        var agent = silo.Agent;

        AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(model.FilePath)} · {model.Options.MaxTokens} tokens · greedy · context {model.ContextSize} · threads {model.Parameters.Threads} · {rounds} rounds + 1 warm-up[/]");
        var baseline = new List<double>();
        var commons = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            // A different request each round, as in a conversation (the same one again right away
            // would be taken as the person restating it); both paths get the same prompt.
            var message = $"{Message} Chapter {round + 1}.";
            var prompt = PromptWindow.Fit(model, [new(ChatRole.System, persona), new(ChatRole.User, message)], model.Options.MaxTokens).Text;
            var plain = await PlainLlamaSharpAsync(model, prompt, cancellationToken);
            var ours = await CommonsPathAsync(agent, message, cancellationToken);
            if (round > 0)
            {
                baseline.Add(plain);
                commons.Add(ours);
            }

            AnsiConsole.MarkupLine($"[grey]round {round}{(round == 0 ? " (warm-up)" : "")}: plain {plain:F0} tok/s · commons {ours:F0} tok/s[/]");
        }

        var baseMedian = Median(baseline);
        var oursMedian = Median(commons);
        var overhead = (baseMedian - oursMedian) / baseMedian * 100;
        var table = new Table().AddColumns("path", "median tok/s", "min", "max");
        table.AddRow("plain LLamaSharp (StatelessExecutor)", $"{baseMedian:F1}", $"{baseline.Min():F1}", $"{baseline.Max():F1}");
        table.AddRow("commons (grain + Kernel + IChatClient + streaming)", $"{oursMedian:F1}", $"{commons.Min():F1}", $"{commons.Max():F1}");
        AnsiConsole.Write(table);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overhead: {overhead:F2}% (commons {oursMedian:F1} tok/s vs plain {baseMedian:F1} tok/s)"));
        return 0;
    }

    private static async Task<double> PlainLlamaSharpAsync(LocalModel model, string prompt, CancellationToken cancellationToken)
    {
        var executor = new StatelessExecutor(model.Weights, model.Parameters) { ApplyTemplate = false };
        var inference = new InferenceParams
        {
            MaxTokens = model.Options.MaxTokens,
            SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0, Seed = model.Options.Seed, TopP = 0.95f },
        };
        var tokens = 0;
        var stopwatch = Stopwatch.StartNew();
        await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken))
        {
            tokens++;
            Sink(piece);
        }

        return tokens / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> CommonsPathAsync(Abstractions.Agents.IPersonalAgentGrain agent, string message, CancellationToken cancellationToken)
    {
        await agent.NewConversationAsync();
        var stopwatch = Stopwatch.StartNew();
        await foreach (var piece in agent.ChatAsync(message, cancellationToken))
        {
            Sink(piece);
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var turns = await agent.GetCurrentTurnsAsync();
        return turns[^1].ReplyTokens / elapsed;
    }

    private static void Sink(string piece) => GC.KeepAlive(piece);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
