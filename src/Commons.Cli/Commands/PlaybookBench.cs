using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Inference.Embeddings;
using Commons.Learning;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons bench playbook</c>: selection latency over a large playbook (not counting embedding
/// the new message) and MiniLM embedding throughput, one sentence at a time against batches.
/// </summary>
internal static class PlaybookBench
{
    public static Command Create()
    {
        var entries = new Option<int>("--entries") { Description = "Playbook size.", DefaultValueFactory = _ => 10_000 };
        var queries = new Option<int>("--queries") { Description = "Selections to time.", DefaultValueFactory = _ => 2_000 };
        var sentences = new Option<int>("--sentences") { Description = "Sentences to embed for the throughput figures.", DefaultValueFactory = _ => 480 };
        var dataset = new Option<string?>("--dataset") { Description = "JSONL with a \"text\" field to embed (default: ../shared/data/hwu64.jsonl when present, else generated sentences)." };
        var command = new Command("playbook", "Selection latency over a large playbook, and embedding throughput.") { entries, queries, sentences, dataset };
        command.SetAction(async (parse, ct) =>
        {
            var entryCount = parse.GetValue(entries);
            var queryCount = parse.GetValue(queries);
            var sentenceCount = parse.GetValue(sentences);
            if (entryCount < 1 || queryCount < 1 || sentenceCount < 16)
            {
                throw new CommonsException("--entries and --queries must be at least 1, and --sentences at least 16.");
            }

            Selection(entryCount, queryCount);
            await EmbeddingAsync(Texts(parse.GetValue(dataset), sentenceCount), ct);
            return 0;
        });
        return command;
    }

    private static void Selection(int entryCount, int queryCount)
    {
        // Selection cost does not depend on what the texts say, so random unit vectors stand in for
        // embedded situations here; the embedding model is measured separately below.
        var random = new Random(17);
        var playbook = new Playbook(new PlaybookState(), new PlaybookOptions { MaxEntries = entryCount + 1 }, new Random(5));
        var vectors = Enumerable.Range(0, entryCount + queryCount).Select(_ => RandomVector(random)).ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < entryCount; i++)
        {
            var action = i % 3 == 0 ? "action_" + (i % 64).ToString(CultureInfo.InvariantCulture) : null;
            // Distinct advice per entry so no two merge.
            playbook.AddOrMerge(new NewEntry("situation " + i, action is null ? "advice number " + i.ToString(CultureInfo.InvariantCulture) : "", action, i % 5, i % 3, Abstractions.Learning.EntryOrigin.Learned), vectors[i], now);
        }

        var actions = Enumerable.Range(0, 64).Select(i => "action_" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        // Queries near existing entries, so candidates pass the similarity floor as in real use.
        var queries = Enumerable.Range(0, queryCount).Select(i => Near(vectors[random.Next(entryCount)], vectors[entryCount + i], 0.35f)).ToArray();
        var select = Time(queryCount, i => playbook.Select("q", queries[i], now));
        var choose = Time(queryCount, i => playbook.ChooseAction("q", queries[i], actions, null, now));

        var table = new Table().AddColumns("operation", "entries", "p50 ms", "p99 ms", "max ms");
        table.AddRow("select advice (16 candidates, Thompson, propensities)", entryCount.ToString("N0", CultureInfo.InvariantCulture), Ms(select, 0.50), Ms(select, 0.99), Ms(select, 1));
        table.AddRow("choose action (24 neighbours, 64 actions)", entryCount.ToString("N0", CultureInfo.InvariantCulture), Ms(choose, 0.50), Ms(choose, 0.99), Ms(choose, 1));
        AnsiConsole.Write(table);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"selection p99: {Percentile(select, 0.99):F3} ms; action p99: {Percentile(choose, 0.99):F3} ms over {entryCount} entries (target under 2 ms)"));
    }

    private static async Task EmbeddingAsync(string[] texts, CancellationToken cancellationToken)
    {
        var construct = Stopwatch.StartNew();
        using var generator = new MiniLmEmbeddingGenerator();
        await generator.GenerateAsync(["warm up"], cancellationToken: cancellationToken);
        construct.Stop();

        var single = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            await generator.GenerateAsync([text], cancellationToken: cancellationToken);
        }

        single.Stop();
        var batched = Stopwatch.StartNew();
        await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        batched.Stop();

        var singleRate = texts.Length / single.Elapsed.TotalSeconds;
        var batchRate = texts.Length / batched.Elapsed.TotalSeconds;
        var table = new Table().AddColumns("embedding (all-MiniLM-L6-v2)", "sentences", "sentences/s");
        table.AddRow("one at a time", texts.Length.ToString(CultureInfo.InvariantCulture), singleRate.ToString("F0", CultureInfo.InvariantCulture));
        table.AddRow("batches of 16", texts.Length.ToString(CultureInfo.InvariantCulture), batchRate.ToString("F0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedding: {batchRate:F0} sentences/s batched, {singleRate:F0} one at a time ({batchRate / singleRate:F2}x); model load {construct.Elapsed.TotalSeconds:F1} s (target at least 250/s batched)"));
    }

    private static string[] Texts(string? dataset, int count)
    {
        var path = dataset ?? FindShared("data/hwu64.jsonl");
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new CommonsException($"The dataset {path} does not exist.");
            }

            return File.ReadLines(path)
                .Select(line => JsonDocument.Parse(line).RootElement.TryGetProperty("text", out var t) ? t.GetString() : null)
                .OfType<string>()
                .Take(count)
                .ToArray();
        }

        string[] subjects = ["my sister", "the team", "our landlord", "the dentist", "a friend"];
        string[] verbs = ["remind me to call", "send an email to", "book a table with", "schedule a meeting with", "ask"];
        return Enumerable.Range(0, count).Select(i => $"please {verbs[i % 5]} {subjects[i / 5 % 5]} about item {i}").ToArray();
    }

    private static string? FindShared(string relative)
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static double[] Time(int count, Action<int> action)
    {
        for (var i = 0; i < Math.Min(100, count); i++)
        {
            action(i);
        }

        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Ms(double[] sorted, double p) => Percentile(sorted, p).ToString("F3", CultureInfo.InvariantCulture);

    private static float[] RandomVector(Random random)
    {
        var v = new float[MiniLmEmbeddingGenerator.Dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return v;
    }

    private static float[] Near(float[] target, float[] noise, float mix)
    {
        var v = new float[target.Length];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = target[i] + (mix * noise[i]);
        }

        return v;
    }
}
