using Commons.Abstractions.Pools;
using Commons.Insights;

namespace Commons.Community.Pooling;

/// <summary>What a topic grain keeps of a verified artifact.</summary>
public static class PooledArtifacts
{
    /// <summary>The pooled form of <paramref name="artifact"/>, whose canonical JSON is <paramref name="json"/>; <paramref name="source"/> names the peer pool it came through, if any.</summary>
    public static PooledArtifact From(InsightArtifact artifact, string json, string? source)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new PooledArtifact(artifact.Id, artifact.Topic, artifact.Contributor, artifact.KindName, artifact.Situation,
            artifact.Advice, artifact.Action, artifact.Evidence.Successes, artifact.Evidence.Failures, artifact.Created,
            artifact.Expires, json, source);
    }
}
