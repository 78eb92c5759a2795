using System.Collections.Concurrent;
using Commons.Learning;
using Commons.Privacy.Policies;
using Microsoft.Extensions.AI;

namespace Commons.Personal.Sharing;

/// <summary>
/// Puts a playbook entry under a topic of the sharing policy by comparing its text with the topics'
/// names ("calendar.scheduling" reads as "calendar scheduling"). The never-shared topics compete too,
/// so an entry about health lands under <c>health</c> and the policy refuses it, rather than slipping
/// into the nearest shareable topic.
/// </summary>
public sealed class TopicClassifier(IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    private readonly ConcurrentDictionary<string, float[]> _topics = new(StringComparer.Ordinal);

    /// <summary>
    /// The topic for each entry: the closest shareable topic to its text (situation and action), unless a
    /// never-shared topic comes within <paramref name="sensitiveMargin"/> of it, judged on the text or
    /// the situation alone; then the never-shared topic, which the policy refuses. Null when there are no topics.
    /// </summary>
    public async Task<IReadOnlyList<TopicMatch?>> ClassifyAsync(IReadOnlyList<(string Text, string Situation)> entries, SharingPolicy policy, double sensitiveMargin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(policy);
        var topics = policy.Topics.Select(t => (t.Id, Never: false)).Concat(policy.NeverShared.Select(n => (Id: n, Never: true))).ToList();
        if (entries.Count == 0 || topics.Count == 0)
        {
            return entries.Select(_ => (TopicMatch?)null).ToList();
        }

        var topicVectors = await TopicVectorsAsync(topics.Select(t => t.Id).ToList(), cancellationToken);
        var generated = await embeddings.GenerateAsync(entries.Select(e => e.Text).Concat(entries.Select(e => e.Situation)), cancellationToken: cancellationToken);
        var matches = new List<TopicMatch?>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            TopicMatch? shareable = null, never = null;
            var text = generated[i].Vector.Span;
            var situation = generated[entries.Count + i].Vector.Span;
            foreach (var (id, isNever) in topics)
            {
                if (isNever)
                {
                    // The sensitive reading counts on the situation alone too: an action's name must not mask it.
                    var similarity = Math.Max(EmbeddingIndex.Cosine(text, topicVectors[id]), EmbeddingIndex.Cosine(situation, topicVectors[id]));
                    if (never is null || similarity > never.Similarity)
                    {
                        never = new TopicMatch(id, similarity, true);
                    }
                }
                else
                {
                    var similarity = EmbeddingIndex.Cosine(text, topicVectors[id]);
                    if (shareable is null || similarity > shareable.Similarity)
                    {
                        shareable = new TopicMatch(id, similarity, false);
                    }
                }
            }

            matches.Add(never is not null && (shareable is null || never.Similarity >= shareable.Similarity - sensitiveMargin) ? never : shareable);
        }

        return matches;
    }

    /// <summary>How a topic id reads to the embedding model.</summary>
    public static string Phrase(string topic) => topic.Replace('.', ' ').Replace('_', ' ');

    private async Task<Dictionary<string, float[]>> TopicVectorsAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !_topics.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var generated = await embeddings.GenerateAsync(missing.Select(Phrase), cancellationToken: cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _topics[missing[i]] = generated[i].Vector.ToArray();
            }
        }

        return ids.Distinct().ToDictionary(id => id, id => _topics[id], StringComparer.Ordinal);
    }
}
