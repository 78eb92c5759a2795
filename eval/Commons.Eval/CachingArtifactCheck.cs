using System.Collections.Concurrent;
using Commons.Insights;
using Commons.Personal.Pools;

namespace Commons.Eval;

/// <summary>
/// Every member verifies each served artifact; in one process the answer for the same JSON is the same,
/// so it is worked out once (the strict parser and the signature check, not skipped).
/// </summary>
public sealed class CachingArtifactCheck : IServedArtifactCheck
{
    private readonly ConcurrentDictionary<string, InsightArtifact?> _verified = new(StringComparer.Ordinal);

    public InsightArtifact? Verify(string artifactJson) => _verified.GetOrAdd(artifactJson, json => InsightArtifactParser.Parse(json).Artifact);
}
