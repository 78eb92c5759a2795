using System.CommandLine;
using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Serve.Hosting;
using Spectre.Console;
using static Commons.Cli.Commands.ServeBenchPaths;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons bench serve</c>: tokens per second and first-token time of a turn through the HTTP API
/// (<c>POST /v1/chat/completions</c>, streamed over loopback) against the same turn in process (the agent
/// grain's stream), on one server and model, in paired ABBA blocks, in one run.
/// </summary>
internal static class ServeBench
{
    private const double TokensGoalPercent = 3;
    private const double FirstTokenGoalMilliseconds = 5;

    public static Command Create()
    {
        var command = new Command("serve", "Tokens/s and first-token time through commons serve's OpenAI-compatible API against the in-process path (same server, model and prompts; greedy; paired ABBA blocks).");
        var model = new ModelSettingsOptions(command);
        var rounds = BenchCommand.RoundsOption("Measured rounds, each one reply on both paths (rounded up to whole blocks of 2 rounds).");
        var warmup = new Option<int>("--warmup") { Description = "Blocks run first and not counted (JIT, caches).", DefaultValueFactory = _ => 2 };
        command.Options.Add(rounds);
        command.Options.Add(warmup);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var blocks = (BenchCommand.ReadRounds(parse, rounds) + 1) / 2;
            var warmupBlocks = parse.GetValue(warmup) is >= 0 and var w ? w : throw new CommonsException("--warmup must be 0 or more.");

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
                return await RunAsync(server, http, blocks, warmupBlocks, cancellationToken);
            }
            finally
            {
                Directory.Delete(scratch.Root, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CommonsServer server, HttpClient http, int blocks, int warmup, CancellationToken cancellationToken)
    {
        var modelName = server.Silo.Model.Name;
        var maxTokens = server.Silo.Model.Options.MaxTokens;
        var loadBefore = LoadAverage();
        AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(modelName)} · up to {maxTokens} tokens · greedy · API at {server.Url} · {blocks} blocks of 2 rounds (ABBA) + {warmup} warm-up · load average {loadBefore}[/]");
        var tokensPerSecond = new List<(double InProcess, double Api)>();
        var firstToken = new List<(double InProcess, double Api)>();
        var pairs = 0;
        var unequal = new List<string>();
        var tokenCounts = new SortedSet<int>();
        for (var block = 0; block < warmup + blocks; block++)
        {
            // Two requests per block, each on both paths: in process, API, API, in process, and the mirror
            // image in the next block, so a drift in the machine's speed falls on both paths alike.
            var first = $"{BenchCommand.Message} Chapter {(2 * block) + 1}.";
            var second = $"{BenchCommand.Message} Chapter {(2 * block) + 2}.";
            var apiFirst = block % 2 == 1;
            var runs = new (Run Local, Run Api)[2];
            foreach (var (index, message) in new[] { (0, first), (1, second) })
            {
                // A then B, then B then A (or the mirror image).
                var localFirst = (index == 0) != apiFirst;
                Run local, api;
                if (localFirst)
                {
                    local = await InProcessAsync(server, message, maxTokens, cancellationToken);
                    api = await ApiAsync(http, modelName, message, maxTokens, cancellationToken);
                }
                else
                {
                    api = await ApiAsync(http, modelName, message, maxTokens, cancellationToken);
                    local = await InProcessAsync(server, message, maxTokens, cancellationToken);
                }

                runs[index] = (local, api);
            }

            var counted = block >= warmup;
            var localRate = Rate(runs.Select(r => r.Local));
            var apiRate = Rate(runs.Select(r => r.Api));
            var localFirstToken = runs.Average(r => r.Local.FirstTokenMilliseconds);
            var apiFirstToken = runs.Average(r => r.Api.FirstTokenMilliseconds);
            if (counted)
            {
                tokensPerSecond.Add((localRate, apiRate));
                firstToken.Add((localFirstToken, apiFirstToken));
                foreach (var (local, api) in runs)
                {
                    pairs++;
                    tokenCounts.Add(local.Tokens);
                    if (local.Tokens != api.Tokens)
                    {
                        unequal.Add($"{local.Tokens} in process, {api.Tokens} through the API");
                    }
                }
            }

            AnsiConsole.MarkupLine($"[grey]block {block}{(counted ? "" : " (warm-up)")}: in process {localRate:F0} tok/s, first token {localFirstToken:F1} ms · API {apiRate:F0} tok/s, first token {apiFirstToken:F1} ms[/]");
        }

        var rate = PairedBlocks.RateCost(tokensPerSecond);
        var late = PairedBlocks.LatencyCost(firstToken);
        var loadAfter = LoadAverage();
        var report = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(report,
            $"tokens/s: API {tokensPerSecond.Average(b => b.Api):F1} vs in process {tokensPerSecond.Average(b => b.InProcess):F1}; API cost {rate.Value:F2}% (95% interval {rate.Low:F2}% to {rate.High:F2}%; ratio of means over {blocks} ABBA blocks); goal at most {TokensGoalPercent}%: {Verdict(rate, TokensGoalPercent, "%")}"));
        Console.Out.WriteLine(string.Create(report,
            $"first token: API {BenchCommand.Median(firstToken.Select(b => b.Api)):F2} ms vs in process {BenchCommand.Median(firstToken.Select(b => b.InProcess)):F2} ms (medians); API cost {late.Value:F2} ms (95% interval {late.Low:F2} to {late.High:F2} ms; median of {blocks} paired blocks); goal at most {FirstTokenGoalMilliseconds} ms: {Verdict(late, FirstTokenGoalMilliseconds, " ms")}"));
        Console.Out.WriteLine(unequal.Count == 0
            ? $"token counts: the same on both paths in all {pairs} pairs ({string.Join(", ", tokenCounts)} tokens); load average {loadBefore} before, {loadAfter} after"
            : $"token counts: differ in {unequal.Count} of {pairs} pairs (e.g. {unequal[0]}): the comparison is not fair; load average {loadBefore} before, {loadAfter} after");
        return unequal.Count == 0 ? 0 : 1;
    }

    /// <summary>A path's tokens/s in a block: all tokens after the first over all decoding time.</summary>
    private static double Rate(IEnumerable<Run> runs)
    {
        var list = runs.ToList();
        return list.Sum(r => Math.Max(0, r.Tokens - 1)) / list.Sum(r => r.DecodeSeconds);
    }

    /// <summary>Met when the whole interval is within the goal; not shown when only the figure is.</summary>
    private static string Verdict(PairedBlocks.Estimate estimate, double goal, string unit) =>
        estimate.High <= goal ? "met"
        : estimate.Value <= goal ? string.Create(CultureInfo.InvariantCulture, $"not shown (the figure is within it, the interval reaches {estimate.High:F2}{unit}; measure more rounds or on a quieter machine)")
        : "not met";

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
