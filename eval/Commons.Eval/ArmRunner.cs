using System.Diagnostics;
using System.Globalization;
using System.Text;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Commons.Inference.Embeddings;
using Commons.Insights;
using Commons.Personal.Hosting;
using Commons.Personal.Storage;
using Commons.Pools.Client;
using Commons.Privacy.Evaluation;
using Commons.Privacy.Export;
using Commons.Privacy.Noise;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Commons.Eval;

/// <summary>
/// Runs one arm: an in-process Orleans silo with the real playbook grains (one per simulated person,
/// or one for everybody in the centralized arm) and, for community arms, the real pool grains; the
/// real export pipeline between them. Only the people are simulated: they make their requests in
/// order and say whether the agent's action was right (and, with corrections, what they wanted).
/// </summary>
public sealed class ArmRunner(Dataset dataset, RunSettings settings, IEmbeddingGenerator<string, Embedding<float>> embeddings, Action<string> progress)
{
    private const string Topic = "assistant.requests";
    private readonly IReadOnlyList<string> _labels = dataset.Labels;


    public async Task<ArmResult> RunAsync(ArmSpec spec, IReadOnlyList<Person> population, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var people = spec.Kind == ArmKind.Community
            ? Population.WithRoles(population, spec.PoisonerShare, spec.FreeRiderShare, settings.Seed)
            : population.ToList();
        var correct = people.Select(_ => new double[settings.Interactions]).ToArray();
        if (spec.Kind == ArmKind.ZeroShot)
        {
            await ZeroShotAsync(people, correct, cancellationToken);
            return new ArmResult(spec, people, correct, 0, 0, new LeakCount(0, 0, 0, 0), stopwatch.Elapsed);
        }

        var home = new CommonsHome(Path.Combine(settings.WorkFolder, "arm-" + Slug(spec.Name)));
        if (Directory.Exists(home.Root))
        {
            Directory.Delete(home.Root, recursive: true);
        }

        var policies = EvalPolicies.Write(settings, dataset, spec.Kind == ArmKind.Community ? spec.Epsilon : 1);
        var overrides = new Dictionary<string, string?>
        {
            ["Playbook:Seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["Playbook:VerifyImports"] = spec.Verify ? "true" : "false",
            // Learning is measured here, not durability (restart tests cover that): write in batches.
            ["Playbook:SaveEvery"] = spec.Kind == ArmKind.Centralized ? "500" : "50",
            ["Playbook:MaxEntries"] = "100000",
            ["Playbook:MaxEpisodes"] = "100000",
            ["Playbook:ReflectEvery"] = "0",
            // The deployment's actions are the data set's labels; the agent routes without generating.
            ["Agent:Generate"] = "false",
            ["Sharing:PoliciesFolder"] = policies,
            // One topic for everything: whatever a request is about, it belongs to it, and the policy approves it.
            ["Sharing:TopicMinSimilarity"] = "0",
            ["Sharing:AutoApproveSimilarity"] = "0",
            // The benchmark syncs each person at the end of every round, in a fixed order.
            ["PoolSync:IntervalSeconds"] = "0",
        };
        for (var i = 0; i < _labels.Count; i++)
        {
            overrides[$"Agent:Actions:{i}"] = _labels[i];
        }

        var community = spec.Kind == ArmKind.Community ? new EvalCommunity(spec, people, settings, dataset) : null;
        await using var silo = await PersonalSilo.StartAsync(home, overrides, Quiet, cancellationToken, loadModel: false,
            configureSilo: s =>
            {
                AddShared(s, home);
                community?.Register(s.Services);
            });
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        if (community is not null)
        {
            await community.JoinAsync(silo.Services);
        }

        for (var t = 0; t < settings.Interactions; t++)
        {
            if (spec.Kind == ArmKind.Centralized)
            {
                // One learner: people take turns, in a fixed order, so the run is reproducible.
                var central = grains.GetGrain<IPersonalAgentGrain>(Slug(spec.Name) + "-central");
                foreach (var person in people)
                {
                    correct[person.Index][t] = await InteractAsync(central, person.Requests[t], spec.Corrections);
                }
            }
            else
            {
                var step = t;
                await Task.WhenAll(people.Where(p => p.Role != PersonRole.Poisoner).Select(async person =>
                {
                    var agent = grains.GetGrain<IPersonalAgentGrain>(Owner(spec, person));
                    correct[person.Index][step] = await InteractAsync(agent, person.Requests[step], spec.Corrections);
                }));
            }

            if (community is not null && (t + 1) % settings.ShareEvery == 0 && t + 1 < settings.Interactions)
            {
                await community.RoundAsync(silo.Services, t + 1, cancellationToken);
            }

            if ((t + 1) % 10 == 0)
            {
                var sofar = people.Where(p => p.Role != PersonRole.Poisoner).Average(p => correct[p.Index][..(t + 1)].Average());
                progress(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name}: {t + 1}/{settings.Interactions} interactions, accuracy so far {sofar:P1}"));
            }
        }

        // Poisoners' own accuracy is not part of any figure.
        var honest = people.Where(p => p.Role != PersonRole.Poisoner).ToList();
        var sync = community is null ? null : await community.SummarizeAsync(silo.Services);
        var leaks = community?.Leaks() ?? new LeakCount(0, 0, 0, 0);
        return new ArmResult(spec, honest.Select((p, i) => p with { Index = i }).ToList(), honest.Select(p => correct[p.Index]).ToArray(),
            leaks.ArtifactsChecked, community?.Imported ?? 0, leaks, stopwatch.Elapsed, sync);
    }

    /// <summary>The data folder owner a simulated person stands for in the arm's silo.</summary>
    internal static string Owner(ArmSpec spec, Person person) => Slug(spec.Name) + "-" + person.Id;

    /// <summary>A person says their request to their agent and tells it whether its action was right (or which was).</summary>
    private static async Task<double> InteractAsync(IPersonalAgentGrain agent, Request request, bool corrections)
    {
        var action = new StringBuilder();
        await foreach (var piece in agent.ChatAsync(request.Text))
        {
            action.Append(piece);
        }

        var right = string.Equals(action.ToString(), request.Label, StringComparison.Ordinal);
        var feedback = right ? new Feedback(FeedbackKind.Good)
            : corrections ? new Feedback(FeedbackKind.Fix, request.Label)
            : new Feedback(FeedbackKind.Bad);
        await agent.FeedbackAsync(feedback);
        return right ? 1 : 0;
    }

    private async Task ZeroShotAsync(IReadOnlyList<Person> people, double[][] correct, CancellationToken cancellationToken)
    {
        var names = await embeddings.GenerateAsync(_labels.Select(l => l.Replace('_', ' ')), cancellationToken: cancellationToken);
        foreach (var person in people)
        {
            var texts = await embeddings.GenerateAsync(person.Requests.Take(settings.Interactions).Select(r => r.Text), cancellationToken: cancellationToken);
            for (var t = 0; t < settings.Interactions; t++)
            {
                var best = Enumerable.Range(0, _labels.Count).MaxBy(i => Learning.EmbeddingIndex.Cosine(texts[t].Vector.Span, names[i].Vector.Span));
                correct[person.Index][t] = _labels[best] == person.Requests[t].Label ? 1 : 0;
            }
        }
    }

    private void AddShared(ISiloBuilder silo, CommonsHome home)
    {
        silo.AddAdoNetGrainStorage(PoolStorageNames.Pool, o =>
        {
            o.Invariant = SqliteGrainStore.Invariant;
            o.ConnectionString = SqliteGrainStore.ConnectionString(home.DatabasePath);
        });
        // The pool side has a model of its own, as a community silo on another machine would (its
        // cache is then the pool's alone, as in production).
        silo.Services.AddSingleton(_ => new PoolEmbeddings(() => new MiniLmEmbeddingGenerator()));
        // The run's embedding model, already warm with every request: one model for all arms.
        silo.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new SharedEmbeddings(embeddings));
    }

    private static void Quiet(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Error);
    }

    internal static string Slug(string name) => new(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
