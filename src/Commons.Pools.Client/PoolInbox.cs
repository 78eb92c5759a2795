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
    public static async Task<PullResult> PullAsync(
        PoolClient client,
        string poolName,
        IEnumerable<string> topics,
        IReadOnlyDictionary<string, int>? cursors,
        Func<IReadOnlyList<ImportedInsight>, Task> stage,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(stage);
        var next = new Dictionary<string, int>(cursors ?? new Dictionary<string, int>(), StringComparer.Ordinal);
        int staged = 0, refused = 0;
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            var more = true;
            while (more)
            {
                DigestPage page;
                try
                {
                    page = await client.DigestAsync(topic, next.GetValueOrDefault(topic), DigestRequest.PageSize, cancellationToken).ConfigureAwait(false);
                }
                catch (PoolApiException ex) when (ex.Status == HttpStatusCode.PaymentRequired)
                {
                    return new PullResult(staged, refused, next, ex.Message);
                }

                var imports = new List<ImportedInsight>();
                foreach (var insight in page.Insights)
                {
                    if (ToImport(insight, poolName) is { } import)
                    {
                        imports.Add(import);
                    }
                    else
                    {
                        refused++;
                    }
                }

                if (imports.Count > 0)
                {
                    await stage(imports).ConfigureAwait(false);
                    staged += imports.Count;
                }

                next[topic] = page.Next;
                more = page.HasMore;
            }
        }

        return new PullResult(staged, refused, next, null);
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
        // of its wordings, so the id names both; an outcome report by this id reaches the group.
        return new ImportedInsight(insight.GroupId + ":" + artifact.Id[..16], poolName, "group:" + insight.Contributors.ToString(CultureInfo.InvariantCulture), insight.Topic,
            insight.Situation, insight.Advice ?? "", insight.Action, insight.Successes, insight.Failures, Math.Clamp(insight.SuccessRate, 0, 1));
    }
}
