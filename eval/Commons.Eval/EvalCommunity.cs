using System.Globalization;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Http;
using Commons.Community.Pooling;
using Commons.Community.Service;
using Commons.Insights;
using Commons.Personal.Pools;
using Commons.Personal.Sharing;
using Commons.Pools.Client;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Eval;

/// <summary>
/// The pool side of a community arm, on the product's own path: each simulated person's agent joins the
/// pool with an invite, and at the end of every round its <see cref="PoolSync"/> prepares what it
/// learned (the export pipeline), delivers it, sends its trial reports, pulls and stages what the pool
/// serves and rejects what the pool withdrew — through the in-process transport into the same
/// <see cref="PoolService"/> the HTTP API calls. Only the people (and the poisoners' attack) are simulated.
/// </summary>
public sealed class EvalCommunity(ArmSpec spec, IReadOnlyList<Person> people, RunSettings settings, Dataset dataset)
{
    private const string Topic = "assistant.requests";
    private const string PoolUrl = "inproc://eval-pool";
    private const int FreeDigestPagesPerDay = 2;
    private readonly ContributorKey _admin = ContributorKey.Create();
    private readonly EvalMemberships _memberships = new();
    private readonly Dictionary<string, Person> _byOwner = people.ToDictionary(p => ArmRunner.Owner(spec, p), StringComparer.Ordinal);
    private readonly Dictionary<int, ContributorKey> _poisonerKeys = [];
    private readonly HashSet<string> _poisoned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _poisonedRequests = new(StringComparer.Ordinal);
    // Simulated days start today: the pool checks expiry against its own (real) clock.
    private readonly ManualTime _day = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private EvalTransports? _transports;
    private EvalPrivacy? _privacy;
    private int _rounds;

    public int Imported { get; private set; }

    /// <summary>The product's services, with the arm's pool in the same silo and each person's own privacy state.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddOptions<PoolOptions>().Configure(o =>
        {
            o.Name = "eval-pool";
            o.AdminKey = _admin.KeyId;
            o.K = settings.PoolK;
            // Paraphrases of one request from different people rarely reach the default 0.8.
            o.SimilarityThreshold = 0.7;
            // A small free allowance: two digest pages a day for anybody. The ledger's day is the pool's
            // real one, not the simulated day, so within an arm a member who contributes nothing reads two pages in all.
            o.FreeReadsPerDay = FreeDigestPagesPerDay;
        });
        services.AddSingleton(new MemberCache());
        services.AddSingleton(new TopicDirectory());
        services.AddSingleton<PoolService>();
        services.AddSingleton<IPoolMemberships>(_memberships);
        services.AddSingleton<EvalTransports>();
        services.AddSingleton<IPoolTransportFactory>(sp => sp.GetRequiredService<EvalTransports>());
        services.AddSingleton<IServedArtifactCheck, CachingArtifactCheck>();
        services.AddSingleton(sp => new EvalPrivacy(sp.GetRequiredService<PolicyProvider>(), _byOwner, settings.Seed, _day));
        services.AddSingleton<IOwnerPrivacy>(sp => sp.GetRequiredService<EvalPrivacy>());
    }

    /// <summary>Every person's agent joins with an invite from the pool's admin, as <c>commons pool join</c> does.</summary>
    public async Task JoinAsync(IServiceProvider services)
    {
        _transports = services.GetRequiredService<EvalTransports>();
        _privacy = services.GetRequiredService<EvalPrivacy>();
        foreach (var person in people)
        {
            var key = ContributorKey.Create();
            var invite = InviteToken.Create(_admin, TimeSpan.FromDays(1), 1, DateTimeOffset.UtcNow);
            await _transports.Open(key.KeyId).JoinAsync(invite);
            if (person.Role == PersonRole.Poisoner)
            {
                _poisonerKeys[person.Index] = key;
            }
            else
            {
                _memberships.Add(ArmRunner.Owner(spec, person), new PoolMembership(PoolUrl, key.KeyId, "", DateTimeOffset.UtcNow), key);
                key.Dispose();
            }
        }
    }

    /// <summary>
    /// One round: everybody's agent delivers first (contributors share, poisoners attack), then every honest
    /// agent pulls. People go in a fixed order, so the pool's state (and the run) is the same for the same seed.
    /// </summary>
    public async Task RoundAsync(IServiceProvider services, int interactionsSoFar, CancellationToken cancellationToken)
    {
        var sync = services.GetRequiredService<PoolSync>();
        foreach (var person in people)
        {
            switch (person.Role)
            {
                case PersonRole.Contributor:
                    await sync.SyncAsync(ArmRunner.Owner(spec, person), PoolSyncSteps.Push, null, cancellationToken);
                    break;
                case PersonRole.Poisoner:
                    await PoisonAsync(services, person, interactionsSoFar);
                    break;
            }
        }

        foreach (var person in people.Where(p => p.Role != PersonRole.Poisoner))
        {
            foreach (var result in await sync.SyncAsync(ArmRunner.Owner(spec, person), PoolSyncSteps.Pull, null, cancellationToken))
            {
                Imported += result.Staged;
            }
        }

        _rounds++;
        _day.Advance(TimeSpan.FromDays(1));
    }

    /// <summary>What left and what it cost: trial reports, epsilon per person per round (a simulated day), and how poison fared.</summary>
    public async Task<SyncFigures> SummarizeAsync(IServiceProvider services)
    {
        var honest = people.Where(p => p.Role != PersonRole.Poisoner).Select(p => ArmRunner.Owner(spec, p)).ToList();
        var epsilon = honest.Count == 0 || _rounds == 0 ? 0 : (double)honest.Sum(o => _privacy!.SpentBy(o)) / honest.Count / _rounds;
        // A poisoned wording reached an honest agent when it was staged there; it was stopped in time when
        // no honest agent ever tried (or adopted) it and at least one rejected it as withdrawn by the pool.
        var grains = services.GetRequiredService<IGrainFactory>();
        var reached = new Dictionary<string, (bool Tried, bool Withdrawn)>(StringComparer.Ordinal);
        foreach (var owner in honest)
        {
            foreach (var review in await grains.GetGrain<IPlaybookGrain>(owner).ListImportReviewsAsync())
            {
                var artifact = WordingId.ArtifactKeyOf(review.ArtifactId);
                if (!_poisoned.Contains(artifact))
                {
                    continue;
                }

                var (tried, withdrawn) = reached.GetValueOrDefault(artifact);
                reached[artifact] = (tried || review.Trials > 0 || review.Decision is ImportDecision.Adopted or ImportDecision.Retired,
                    withdrawn || review.Reason == Learning.Playbook.WithdrawnReason);
            }
        }

        return new SyncFigures(_transports!.ReportsSent, epsilon, _poisoned.Count, reached.Count, reached.Values.Count(r => r.Withdrawn && !r.Tried));
    }

    /// <summary>A poisoner publishes, for requests like the ones it made, a wrong action with inflated evidence.</summary>
    private async Task PoisonAsync(IServiceProvider services, Person person, int interactionsSoFar)
    {
        var policy = services.GetRequiredService<PolicyProvider>().GetCurrent();
        var key = _poisonerKeys[person.Index];
        var transport = _transports!.Open(key.KeyId);
        foreach (var request in person.Requests.Take(interactionsSoFar).Where(r => _poisonedRequests.Add(person.Id + ":" + r.Id)))
        {
            var wrong = dataset.Labels[(dataset.Labels.ToList().IndexOf(request.Label) + 1 + (request.Id % 5)) % dataset.Labels.Count];
            var situation = RedactAsAnAttackerWould(request.Text, policy.Redaction);
            var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var draft = new InsightDraft(InsightKind.Pattern, Topic, situation, null, wrong,
                new InsightEvidence(InsightLimits.MaxCount, 0, InsightEvidence.DiscreteLaplace, 10), policy.Reference, now, now.AddDays(90));
            var artifact = InsightSigner.Sign(draft, key);
            // Members stage a wording under the product's wording id, which names the artifact by its key.
            _poisoned.Add(WordingId.ArtifactKey(artifact.Id));
            await transport.PublishAsync(artifact.ToUtf8Bytes());
        }
    }

    /// <summary>
    /// The attacker's words pass the pool's redaction, so it redacts them first; on a machine so busy that a
    /// detector's regex runs out of time, it tries again (an attacker is not put off by a timeout, and the
    /// run must not end on one).
    /// </summary>
    private static string RedactAsAnAttackerWould(string text, RedactionPolicy redaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Redactor.Redact(text, redaction).Text;
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Canaries and the author's annotated person and e-mail values in what left, searched in the fields
    /// made from the person's words (situation, advice, action, topic). The id, contributor key and
    /// signature are random base64url, whose '-' and '_' make word boundaries: over tens of thousands of
    /// artifacts a two-letter name turns up in them by chance (about once in a run of this size), and that is no leak.
    /// </summary>
    public LeakCount Leaks()
    {
        int canaries = 0, persons = 0, emails = 0, checkedArtifacts = 0;
        var everyCanary = people.Where(p => p.Canary is not null).Select(p => p.Canary!).ToList();
        var authors = _memberships.KeysByOwner(_byOwner);
        foreach (var (key, json) in _transports!.Published)
        {
            if (!authors.TryGetValue(key, out var author))
            {
                continue;
            }

            checkedArtifacts++;
            var artifact = InsightArtifactParser.Parse(json).Artifact ?? throw new InvalidOperationException("An agent published an artifact that does not parse.");
            var words = string.Join('\n', artifact.Situation, artifact.Advice ?? "", artifact.Action ?? "", artifact.Topic);
            canaries += everyCanary.Count(c => words.Contains(c, StringComparison.OrdinalIgnoreCase));
            foreach (var (type, value) in author.KnownEntities.Distinct())
            {
                if (value.Length < 2 || !ContainsWord(words, value))
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

        return new LeakCount(canaries, persons, emails, checkedArtifacts);
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
