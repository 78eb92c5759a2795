using System.Globalization;
using System.Net;
using Commons.Abstractions.Learning;
using Commons.Abstractions.Pools;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>What one pull brought: insights staged, served insights refused (not verifiable), and where each topic's cursor now is.</summary>
public sealed record PullResult(int Staged, int Refused, IReadOnlyDictionary<string, int> Cursors, string? StoppedBecause);

/// <summary>
/// The member's side of a pool's digest: reads each topic's served insights page by page from where
/// the last pull stopped, checks each one's signed artifact end to end (the pool is not trusted to
/// relay it unchanged), and hands the new ones to the agent to stage. Each page is one read of the
/// member's allowance or credit; a pool that refuses the next read (no credit left) ends the pull
/// with what was read so far.
/// </summary>
public static class PoolInbox
{
    /// <summary>Reads one digest page of a topic after a cursor, or says why the pool refused the read.</summary>
    public delegate Task<(DigestPage? Page, string? Refusal)> DigestReader(string topic, int after, CancellationToken cancellationToken);

    /// <summary>Which of these staged ids of a topic the pool no longer serves.</summary>
    public delegate Task<IReadOnlyList<string>> WithdrawalReader(string topic, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the pool, topic by topic and in requests of at most <see cref="WithdrawnRequest.MaxIds"/>,
    /// which of the insights the agent staged from it it has withdrawn since (their authors' reputations
    /// sank, or they expired): the agent rejects those it has not decided on yet, before trying them on
    /// its owner. All staged ids are asked about, whatever was decided, so that the question tells the
    /// pool nothing it did not know.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WithdrawnAsync(WithdrawalReader check, IReadOnlyList<StagedImport> staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(staged);
        var withdrawn = new List<string>();
        foreach (var topic in staged.Where(u => u.Topic.Length > 0).GroupBy(u => u.Topic, StringComparer.Ordinal))
        {
            foreach (var chunk in topic.Select(u => u.ArtifactId).Chunk(WithdrawnRequest.MaxIds))
            {
                withdrawn.AddRange(await check(topic.Key, chunk, cancellationToken).ConfigureAwait(false));
            }
        }

        return withdrawn;
    }

    /// <summary>Pulls through a pool's transport; a 402 (no credit left) is a refusal.</summary>
    public static Task<PullResult> PullAsync(
        IPoolTransport client,
        string poolName,
        IEnumerable<string> topics,
        IReadOnlyDictionary<string, int>? cursors,
        Func<IReadOnlyList<ImportedInsight>, Task> stage,
        Func<string, InsightArtifact?>? verify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return PullAsync(
            async (topic, after, ct) =>
            {
                try
                {
                    return (await client.DigestAsync(topic, after, DigestRequest.PageSize, ct).ConfigureAwait(false), null);
                }
                catch (PoolApiException ex) when (ex.Status == HttpStatusCode.PaymentRequired)
                {
                    return (null, ex.Message);
                }
            },
            poolName, topics, cursors, stage, verify, cancellationToken);
    }

    /// <summary>
    /// Pulls every topic from its cursor through <paramref name="read"/>, staging what each topic
    /// brought once its pages are read (or the pool refused the next one).
    /// <paramref name="verify"/> is as for <see cref="ToImport"/>.
    /// </summary>
    public static async Task<PullResult> PullAsync(
        DigestReader read,
        string poolName,
        IEnumerable<string> topics,
        IReadOnlyDictionary<string, int>? cursors,
        Func<IReadOnlyList<ImportedInsight>, Task> stage,
        Func<string, InsightArtifact?>? verify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(stage);
        var next = new Dictionary<string, int>(cursors ?? new Dictionary<string, int>(), StringComparer.Ordinal);
        int staged = 0, refused = 0;
        string? stoppedBecause = null;
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            var imports = new List<ImportedInsight>();
            var more = true;
            while (more)
            {
                var (page, refusal) = await read(topic, next.GetValueOrDefault(topic), cancellationToken).ConfigureAwait(false);
                if (page is null)
                {
                    stoppedBecause = refusal ?? "the pool refused the read";
                    break;
                }

                foreach (var insight in page.Insights)
                {
                    if (ToImport(insight, poolName, verify) is { } import)
                    {
                        imports.Add(import);
                    }
                    else
                    {
                        refused++;
                    }
                }

                next[topic] = page.Next;
                more = page.HasMore;
            }

            if (imports.Count > 0)
            {
                await stage(imports).ConfigureAwait(false);
                staged += imports.Count;
            }

            if (stoppedBecause is not null)
            {
                break;
            }
        }

        return new PullResult(staged, refused, next, stoppedBecause);
    }

    /// <summary>
    /// Why a pull that went through staged nothing, for a person who expected something: the sharing
    /// policy names no topic, nothing is new since the last pull, or the pool serves nothing yet in
    /// these topics because no group has k backers (<paramref name="poolK"/> asks the pool for its k, only
    /// then; null: a pool that does not say).
    /// </summary>
    public static async Task<string> WhyNothingStagedAsync(IReadOnlyCollection<string> topics, IReadOnlyDictionary<string, int> cursors, Func<Task<int?>> poolK)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentNullException.ThrowIfNull(poolK);
        if (topics.Count == 0)
        {
            return "your sharing policy names no topics, and only its topics are pulled";
        }

        if (topics.Any(t => cursors.GetValueOrDefault(t) > 0))
        {
            return "nothing new since the last pull";
        }

        var backers = await poolK().ConfigureAwait(false) is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"once {count} distinct members back it (this pool's k is {count})")
            : "only once enough distinct members back it (the pool's k)";
        return $"nothing is served yet in {string.Join(", ", topics)}: a group of insights is served {backers}";
    }

    /// <summary>
    /// A served insight as the agent stages it, or null when its signed artifact does not verify or
    /// does not say what the pool claims it says (topic, situation, advice, action).
    /// <paramref name="verify"/> reads and verifies the artifact's JSON (by default the strict parser;
    /// a caller that sees the same artifact many times may remember its answers).
    /// </summary>
    public static ImportedInsight? ToImport(PoolInsight insight, string poolName, Func<string, InsightArtifact?>? verify = null)
    {
        ArgumentNullException.ThrowIfNull(insight);
        var artifact = verify is null ? InsightArtifactParser.Parse(insight.ArtifactJson).Artifact : verify(insight.ArtifactJson);
        if (artifact is null
            || artifact.Topic != insight.Topic
            || artifact.Situation != insight.Situation
            || (artifact.Advice ?? "") != (insight.Advice ?? "")
            || artifact.Action != insight.Action)
        {
            return null;
        }

        // The pool's robust aggregate is the evidence; its success rate, already weighted by the
        // contributors' reputations, stands for how far the group is trusted. A group is served in each
        // of its wordings, so the id names both; an outcome report by this id reaches those words' authors.
        return new ImportedInsight(WordingId.Of(insight.GroupId, artifact.Id), poolName, "group:" + insight.Contributors.ToString(CultureInfo.InvariantCulture), insight.Topic,
            insight.Situation, insight.Advice ?? "", insight.Action, insight.Successes, insight.Failures, Math.Clamp(insight.SuccessRate, 0, 1));
    }
}
