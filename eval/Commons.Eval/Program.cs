using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Eval;
using Commons.Inference.Embeddings;

var dataset = new Option<string?>("--dataset") { Description = "JSONL of {\"text\", \"label\"} (HWU64's \"intent\" works too). Default: ../shared/data/hwu64.jsonl when present, else the built-in synthetic world." };
var synthetic = new Option<bool>("--synthetic") { Description = "Use the built-in synthetic world." };
var people = new Option<int>("--people") { Description = "Simulated people.", DefaultValueFactory = _ => 100 };
var interactions = new Option<int>("--interactions") { Description = "Interactions per person.", DefaultValueFactory = _ => 50 };
var alpha = new Option<double>("--alpha") { Description = "Dirichlet concentration of each person's labels (smaller = less alike).", DefaultValueFactory = _ => 0.5 };
var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same results.", DefaultValueFactory = _ => 7 };
var shareEvery = new Option<int>("--share-every") { Description = "Interactions between sharing rounds.", DefaultValueFactory = _ => 5 };
var k = new Option<int>("--k") { Description = "Distinct contributors a pool needs before it serves a group.", DefaultValueFactory = _ => 2 };
var quick = new Option<bool>("--quick") { Description = "A small run for CI: 24 people, 20 interactions, the main arms only." };
var only = new Option<string?>("--arms") { Description = "Run only the arms whose names contain one of these comma-separated words." };
var armIndex = new Option<int?>("--arm-index") { Hidden = true, Description = "Run one arm in this process and write its result (used by the runner itself)." };
var armResult = new Option<string?>("--arm-result") { Hidden = true };
var output = new Option<string>("--output") { Description = "Folder for the reports.", DefaultValueFactory = _ => Path.Combine("eval", "results") };
var root = new RootCommand("The community-learning benchmark: sharing vs isolated vs centralized, under attack.")
{
    dataset, synthetic, people, interactions, alpha, seed, shareEvery, k, quick, only, output, armIndex, armResult,
};
root.SetAction(async (parse, cancellationToken) =>
{
    try
    {
        var isQuick = parse.GetValue(quick);
        var peopleCount = isQuick ? Math.Min(24, parse.GetValue(people)) : parse.GetValue(people);
        var interactionCount = isQuick ? Math.Min(20, parse.GetValue(interactions)) : parse.GetValue(interactions);
        // The synthetic world is made as large as the population needs (twice over, since each person
        // draws mostly from a few labels).
        var syntheticSize = 2 * Math.Max(1, peopleCount) * Math.Max(1, interactionCount);
        var data = parse.GetValue(synthetic) ? Dataset.Synthetic(parse.GetValue(seed), syntheticSize)
            : parse.GetValue(dataset) is { } path ? Dataset.Load(path)
            : FindShared("data/hwu64.jsonl") is { } shared ? Dataset.Load(shared)
            : Dataset.Synthetic(parse.GetValue(seed), syntheticSize);
        var settings = new RunSettings(
            peopleCount,
            interactionCount,
            parse.GetValue(alpha), parse.GetValue(seed), parse.GetValue(shareEvery), parse.GetValue(k),
            Environment.GetEnvironmentVariable("COMMONS_EVAL_WORK") ?? Path.Combine(Path.GetTempPath(), $"commons-eval-{Environment.ProcessId}"),
            Path.Combine(AppContext.BaseDirectory, "policies"));
        if (settings.People < 2 || settings.Interactions < settings.ShareEvery || settings.ShareEvery < 1 || settings.Alpha <= 0 || settings.PoolK < 1)
        {
            throw new CommonsException("Need at least 2 people, --share-every of at least 1 and at most --interactions, a positive --alpha and --k of at least 1.");
        }

        var arms = Arms(isQuick);
        if (parse.GetValue(only) is { } filter)
        {
            var words = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            arms = arms.Where(a => words.Any(w => a.Name.Contains(w, StringComparison.OrdinalIgnoreCase))).ToList();
        }
        var command = "dotnet run -c Release --project eval/Commons.Eval -- " + string.Join(' ', args);
        Console.WriteLine($"{data.Name}: {data.Requests.Count} requests, {data.Labels.Count} labels; {settings.People} people x {settings.Interactions} interactions; {arms.Count} arms; seed {settings.Seed}");
        var stopwatch = Stopwatch.StartNew();
        var population = Population.Create(data, settings.People, settings.Interactions, settings.Alpha, settings.Seed, canaryShare: 0.1);
        Directory.CreateDirectory(settings.WorkFolder);
        var embeddings = new SqliteEmbeddingCache(new MiniLmEmbeddingGenerator(), Path.Combine(settings.WorkFolder, "embeddings.db"));
        if (parse.GetValue(armIndex) is null)
        {
            Console.WriteLine("embedding the requests...");
        }

        await embeddings.GenerateAsync(population.SelectMany(p => p.Requests.Take(settings.Interactions)).Select(r => r.Text).Distinct().ToList(), cancellationToken: cancellationToken);

        if (parse.GetValue(armIndex) is int only1)
        {
            // Child mode: one arm, result to a file.
            var single = await new ArmRunner(data, settings, embeddings, Console.WriteLine).RunAsync(arms[only1], population, cancellationToken);
            ArmResultFile.Write(parse.GetValue(armResult)!, single);
            return 0;
        }

        // Each arm runs in a process of its own: arms share nothing but the data, the people and the
        // embedding cache file, and one arm's silo cannot leave state behind for the next. An arm is
        // mostly one thread (people take turns), so as many run at once as there are cores; each is
        // seeded on its own and reported in the order of the list, whatever order they run in. The policy folders they
        // read are written here first, so that two arms never write the same one.
        foreach (var epsilon in arms.Where(a => a.Kind == ArmKind.Community).Select(a => a.Epsilon).Distinct())
        {
            EvalPolicies.Write(settings, data, epsilon);
        }

        var results = new ArmResult[arms.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        await Task.WhenAll(Enumerable.Range(0, arms.Count).Select(async i =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                Console.WriteLine($"arm {i + 1}/{arms.Count}: {arms[i].Name}");
                var result = results[i] = await ArmResultFile.RunChildAsync(args, i, arms[i], population, settings.WorkFolder, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {arms[i].Name}: mean accuracy {result.Mean:F3} ({result.Elapsed.TotalSeconds:F0} s)"));
            }
            finally
            {
                slots.Release();
            }
        }));

        var folder = Path.Combine(parse.GetValue(output)!, $"{Path.GetFileNameWithoutExtension(data.Name)}-seed{settings.Seed}-{settings.People}x{settings.Interactions}{(isQuick ? "-quick" : "")}");
        var summary = Report.Write(folder, command, data, settings, results, stopwatch.Elapsed, isQuick);
        Console.WriteLine();
        Console.WriteLine(summary);
        Console.WriteLine($"reports in {Path.GetFullPath(folder)}");
        if (Environment.GetEnvironmentVariable("COMMONS_EVAL_WORK") is null)
        {
            TryDelete(settings.WorkFolder);
        }
        var leaks = results.Sum(r => r.Leaks.Canaries + r.Leaks.Persons + r.Leaks.Emails);
        return leaks == 0 ? 0 : 1;
    }
    catch (CommonsException ex)
    {
        Console.Error.WriteLine("error: " + ex.Message);
        return 2;
    }
});
return await root.Parse(args).InvokeAsync();

static List<ArmSpec> Arms(bool quick)
{
    if (quick)
    {
        return
        [
            new("zero-shot", ArmKind.ZeroShot, true),
            new("isolated", ArmKind.Isolated, true),
            new("community eps=1", ArmKind.Community, true, Epsilon: 1),
            new("centralized", ArmKind.Centralized, true),
            new("community eps=1, 30% poisoners, verified", ArmKind.Community, true, Epsilon: 1, PoisonerShare: 0.3),
        ];
    }

    return
    [
        new("zero-shot", ArmKind.ZeroShot, true),
        new("isolated", ArmKind.Isolated, true),
        new("community eps=10 (~inf)", ArmKind.Community, true, Epsilon: 10),
        new("community eps=4", ArmKind.Community, true, Epsilon: 4),
        new("community eps=1", ArmKind.Community, true, Epsilon: 1),
        new("centralized", ArmKind.Centralized, true),
        new("community eps=1, unverified", ArmKind.Community, true, Epsilon: 1, Verify: false),
        new("community eps=1, 10% poisoners, verified", ArmKind.Community, true, Epsilon: 1, PoisonerShare: 0.1),
        new("community eps=1, 10% poisoners, unverified", ArmKind.Community, true, Epsilon: 1, PoisonerShare: 0.1, Verify: false),
        new("community eps=1, 30% poisoners, verified", ArmKind.Community, true, Epsilon: 1, PoisonerShare: 0.3),
        new("community eps=1, 30% poisoners, unverified", ArmKind.Community, true, Epsilon: 1, PoisonerShare: 0.3, Verify: false),
        new("community eps=1, 20% free riders", ArmKind.Community, true, Epsilon: 1, FreeRiderShare: 0.2),
        new("isolated, bandit only", ArmKind.Isolated, false),
        new("community eps=1, bandit only", ArmKind.Community, false, Epsilon: 1),
        new("centralized, bandit only", ArmKind.Centralized, false),
    ];
}

static string? FindShared(string relative)
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "shared", relative);
        if (File.Exists(candidate))
        {
            return candidate;
        }

        candidate = Path.Combine(dir.FullName, "..", "shared", relative);
        if (File.Exists(candidate))
        {
            return Path.GetFullPath(candidate);
        }
    }

    return null;
}

static void TryDelete(string folder)
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
        // A leftover scratch folder in the temp directory is harmless.
    }
}
