using System.Diagnostics;
using System.Globalization;
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

        var overrides = new Dictionary<string, string?>
        {
            ["Playbook:Seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["Playbook:VerifyImports"] = spec.Verify ? "true" : "false",
            // Learning is measured here, not durability (restart tests cover that): write in batches.
            ["Playbook:SaveEvery"] = spec.Kind == ArmKind.Centralized ? "500" : "50",
            ["Playbook:MaxEntries"] = "100000",
            ["Playbook:MaxEpisodes"] = "100000",
            ["Playbook:ReflectEvery"] = "0",
        };
        await using var silo = await PersonalSilo.StartAsync(home, overrides, Quiet, cancellationToken, loadModel: false,
            configureSilo: s => AddShared(s, home));
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var exchange = spec.Kind == ArmKind.Community ? new PoolExchange(spec, people, grains, settings, dataset) : null;

        for (var t = 0; t < settings.Interactions; t++)
        {
            if (spec.Kind == ArmKind.Centralized)
            {
                // One learner: people take turns, in a fixed order, so the run is reproducible.
                var central = grains.GetGrain<IPlaybookGrain>(Slug(spec.Name) + "-central");
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
                    var grain = grains.GetGrain<IPlaybookGrain>(Slug(spec.Name) + "-" + person.Id);
                    correct[person.Index][step] = await InteractAsync(grain, person.Requests[step], spec.Corrections);
                }));
            }

            if (exchange is not null && (t + 1) % settings.ShareEvery == 0 && t + 1 < settings.Interactions)
            {
                await exchange.RoundAsync(t + 1, cancellationToken);
            }

            if ((t + 1) % 10 == 0)
            {
                var sofar = people.Where(p => p.Role != PersonRole.Poisoner).Average(p => correct[p.Index][..(t + 1)].Average());
                progress(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name}: {t + 1}/{settings.Interactions} interactions, accuracy so far {sofar:P1}"));
            }
        }

        // Poisoners' own accuracy is not part of any figure.
        var honest = people.Where(p => p.Role != PersonRole.Poisoner).ToList();
        var result = new ArmResult(spec, honest.Select((p, i) => p with { Index = i }).ToList(), honest.Select(p => correct[p.Index]).ToArray(),
            exchange?.Shared ?? 0, exchange?.Imported ?? 0, exchange?.Leaks() ?? new LeakCount(0, 0, 0, 0), stopwatch.Elapsed);
        return result;
    }

    private async Task<double> InteractAsync(IPlaybookGrain grain, Request request, bool corrections)
    {
        var decision = await grain.ChooseActionAsync(request.Text, _labels);
        var right = string.Equals(decision.Action, request.Label, StringComparison.Ordinal);
        var feedback = right ? new Feedback(FeedbackKind.Good)
            : corrections ? new Feedback(FeedbackKind.Fix, request.Label)
            : new Feedback(FeedbackKind.Bad);
        await grain.FeedbackAsync(decision.EpisodeId, feedback);
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
        silo.Services.AddOptions<PoolOptions>().Configure(o =>
        {
            o.Name = "eval-pool";
            o.K = settings.PoolK;
            // Paraphrases of one request from different people rarely reach the default 0.8.
            o.SimilarityThreshold = 0.7;
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

    /// <summary>The pool side of a community arm: what each member shares and imports every round.</summary>
    private sealed class PoolExchange
    {
        private const int FreeDigestPagesPerDay = 2;
        private readonly ArmSpec _spec;
        private readonly IReadOnlyList<Person> _people;
        private readonly IGrainFactory _grains;
        private readonly Dataset _dataset;
        // Simulated days start today: the pool checks expiry against its own (real) clock.
        private readonly ManualTime _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        private readonly Dictionary<int, ContributorKey> _keys = [];
        private readonly Dictionary<int, ExportPipeline> _pipelines = [];
        private readonly Dictionary<int, KnownEntities> _known = [];
        private readonly Dictionary<int, HashSet<string>> _published = [];
        private readonly Dictionary<int, IReadOnlyDictionary<string, int>?> _digestCursors = [];
        private readonly List<(Person Author, string Json)> _sharedJson = [];
        // Every member verifies each served artifact; in one process the answer for the same JSON is
        // the same, so it is worked out once (the parser and the signature check, not skipped).
        private readonly Dictionary<string, InsightArtifact?> _verified = new(StringComparer.Ordinal);
        private readonly PolicyProvider _policies;
        private readonly LedgerPolicy _ledger;

        public PoolExchange(ArmSpec spec, IReadOnlyList<Person> people, IGrainFactory grains, RunSettings settings, Dataset dataset)
        {
            _spec = spec;
            _people = people;
            _grains = grains;
            _dataset = dataset;
            _policies = new PolicyProvider(EvalPolicies.Write(settings, dataset, spec.Epsilon));
            // The pool's policy, with a small free allowance: two digest pages a day for anybody. The
            // ledger's day is the pool's real one, not the simulated day, so within an arm (a minute or
            // two) a member who contributes nothing reads two pages in all.
            var pool = new PoolOptions { FreeReadsPerDay = FreeDigestPagesPerDay };
            _ledger = new LedgerPolicy(pool.CreditPerContribution, pool.ReadCost, pool.FreeReadsPerDay);
            foreach (var person in people)
            {
                _keys[person.Index] = ContributorKey.Create();
                _pipelines[person.Index] = new ExportPipeline(_policies, new MemoryBudgetStore(), new SeededRandomSource(settings.Seed * 1000 + person.Index), _time);
                _known[person.Index] = new KnownEntities(person.KnownEntities
                    .Where(e => LeakEvaluator.KnownEntityTypes.ContainsKey(e.Type))
                    .Select(e => new KnownEntity(LeakEvaluator.KnownEntityTypes[e.Type], e.Value)));
                _published[person.Index] = [];
                _digestCursors[person.Index] = null;
            }
        }

        public int Shared { get; private set; }

        public int Imported { get; private set; }

        // Each arm runs in its own silo and database, so the pool's topic shard is the topic itself.
        private IInsightPoolGrain Pool => _grains.GetGrain<IInsightPoolGrain>(Topic);

        public async Task RoundAsync(int interactionsSoFar, CancellationToken cancellationToken)
        {
            // Publishing and pulling go person by person in a fixed order, so the pool's state (and
            // with it the run) is the same for the same seed.
            foreach (var person in _people)
            {
                switch (person.Role)
                {
                    case PersonRole.Contributor:
                        await ShareAsync(person, cancellationToken);
                        break;
                    case PersonRole.Poisoner:
                        await PoisonAsync(person, interactionsSoFar);
                        break;
                }
            }

            foreach (var person in _people.Where(p => p.Role != PersonRole.Poisoner))
            {
                await ReportOutcomesAsync(person);
                await PullAsync(person);
            }

            _time.Advance(TimeSpan.FromDays(1));
        }

        public LeakCount Leaks()
        {
            int canaries = 0, persons = 0, emails = 0;
            var everyCanary = _people.Where(p => p.Canary is not null).Select(p => p.Canary!).ToList();
            foreach (var (author, json) in _sharedJson)
            {
                canaries += everyCanary.Count(c => json.Contains(c, StringComparison.OrdinalIgnoreCase));
                foreach (var (type, value) in author.KnownEntities.Distinct())
                {
                    if (value.Length < 2 || !ContainsWord(json, value))
                    {
                        continue;
                    }

                    if (type == "person")
                    {
                        persons++;
                    }
                    else if (type == "email_address")
                    {
                        emails++;
                    }
                }
            }

            return new LeakCount(canaries, persons, emails, _sharedJson.Count);
        }

        private async Task ShareAsync(Person person, CancellationToken cancellationToken)
        {
            var playbook = _grains.GetGrain<IPlaybookGrain>(Slug(_spec.Name) + "-" + person.Id);
            var entries = await playbook.ListEntriesAsync(includeRetired: false);
            var accepted = 0;
            foreach (var entry in entries.Where(e => e.Status == EntryStatus.Active && e.Action is not null
                && e.Origin is EntryOrigin.Learned or EntryOrigin.Correction && e.Successes > e.Failures))
            {
                if (!_published[person.Index].Add(entry.Id))
                {
                    continue;
                }

                var result = await _pipelines[person.Index].PrepareAsync(
                    new ExportCandidate(InsightKind.Pattern, Topic, entry.Situation, null, entry.Action, (long)Math.Round(entry.Successes), (long)Math.Round(entry.Failures)),
                    _known[person.Index], cancellationToken);
                if (!result.HasDraft)
                {
                    continue;
                }

                // The simulated person approves what the sharing policy asks them to.
                var artifact = ExportPipeline.Seal(result, _keys[person.Index]);
                if (await PublishAsync(person, artifact))
                {
                    accepted++;
                }
            }

            if (accepted > 0)
            {
                await _grains.GetGrain<IContributorGrain>(_keys[person.Index].KeyId).RecordContributionsAsync(accepted, _ledger);
            }
        }

        /// <summary>A poisoner publishes, for requests like the ones it made, a wrong action with inflated evidence.</summary>
        private async Task PoisonAsync(Person person, int interactionsSoFar)
        {
            var policy = _policies.GetCurrent();
            var accepted = 0;
            foreach (var request in person.Requests.Take(interactionsSoFar).Where(r => _published[person.Index].Add("poison:" + r.Id)))
            {
                var wrong = _dataset.Labels[(Array.IndexOf(_dataset.Labels.ToArray(), request.Label) + 1 + (request.Id % 5)) % _dataset.Labels.Count];
                var situation = Redactor.Redact(request.Text, policy.Redaction).Text;
                var now = _time.GetUtcNow();
                var draft = new InsightDraft(InsightKind.Pattern, Topic, situation, null, wrong,
                    new InsightEvidence(InsightLimits.MaxCount, 0, InsightEvidence.DiscreteLaplace, 10), policy.Reference, now, now.AddDays(90));
                if (await PublishAsync(person, InsightSigner.Sign(draft, _keys[person.Index])))
                {
                    accepted++;
                }
            }

            if (accepted > 0)
            {
                await _grains.GetGrain<IContributorGrain>(_keys[person.Index].KeyId).RecordContributionsAsync(accepted, _ledger);
            }
        }

        private async Task<bool> PublishAsync(Person author, InsightArtifact artifact)
        {
            var json = artifact.ToJson();
            // What a pool's HTTP front does: parse strictly, verify the signature, then hand it on.
            var parsed = InsightArtifactParser.Parse(json, _time.GetUtcNow());
            if (!parsed.IsValid)
            {
                throw new InvalidOperationException($"The benchmark produced an artifact the parser rejects: {parsed.Reason}");
            }

            var a = parsed.Artifact!;
            var receipt = await Pool.PublishAsync(PooledArtifacts.From(a, json, null));
            if (author.Role != PersonRole.Poisoner)
            {
                _sharedJson.Add((author, json));
                Shared++;
            }

            return !receipt.Duplicate;
        }

        /// <summary>What the member's agent learned of imported insights on live turns goes back to the pool.</summary>
        private async Task ReportOutcomesAsync(Person person)
        {
            var playbook = _grains.GetGrain<IPlaybookGrain>(Slug(_spec.Name) + "-" + person.Id);
            foreach (var pending in await playbook.TakeOutcomeReportsAsync())
            {
                var report = pending.Report;
                await Pool.ReportOutcomeAsync(_keys[person.Index].KeyId, report.ArtifactId, !report.Retired && report.Successes > report.Failures);
            }
        }

        /// <summary>
        /// A member syncs the topic its owner uses: it reads the pool's digest of served insights page
        /// by page from where it stopped last time, each page one read of its allowance or credit,
        /// and stages what is new in its playbook.
        /// </summary>
        private async Task PullAsync(Person person)
        {
            var contributor = _grains.GetGrain<IContributorGrain>(_keys[person.Index].KeyId);
            var playbook = _grains.GetGrain<IPlaybookGrain>(Slug(_spec.Name) + "-" + person.Id);
            // What the pool's HTTP front does for a digest request, straight on the grains.
            async Task<(DigestPage?, string?)> ReadAsync(string topic, int after, CancellationToken cancellationToken)
            {
                var decision = await contributor.TrySpendReadAsync(_ledger);
                return decision.Allowed ? (await Pool.DigestAsync(after, DigestRequest.PageSize), null) : (null, decision.Reason);
            }

            var pulled = await PoolInbox.PullAsync(ReadAsync, Slug(_spec.Name), [Topic], _digestCursors[person.Index],
                imports => playbook.StageImportsAsync(imports), Verify);
            _digestCursors[person.Index] = pulled.Cursors;
            // What the pool has withdrawn since (its contributors' reputations sank) is rejected before it is tried.
            var gone = await PoolInbox.WithdrawnAsync((_, ids, _) => Pool.WithdrawnAsync(ids), await playbook.ListImportsAsync(Slug(_spec.Name)));
            await playbook.WithdrawImportsAsync(Slug(_spec.Name), gone);
            Imported += pulled.Staged;
        }

        private InsightArtifact? Verify(string json)
        {
            if (!_verified.TryGetValue(json, out var artifact))
            {
                artifact = _verified[json] = InsightArtifactParser.Parse(json).Artifact;
            }

            return artifact;
        }

        private static bool ContainsWord(string text, string value)
        {
            var at = 0;
            while ((at = text.IndexOf(value, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                var after = at + value.Length >= text.Length || !char.IsLetterOrDigit(text[at + value.Length]);
                if (before && after)
                {
                    return true;
                }

                at++;
            }

            return false;
        }
    }
}
