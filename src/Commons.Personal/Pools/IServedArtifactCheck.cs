using Commons.Insights;

namespace Commons.Personal.Pools;

/// <summary>Reads and verifies a served artifact's JSON end to end (null when it does not verify).</summary>
public interface IServedArtifactCheck
{
    InsightArtifact? Verify(string artifactJson);
}
