using Commons.Insights;

namespace Commons.Personal.Pools;

/// <summary>The strict artifact parser with its signature check, every time.</summary>
public sealed class StrictArtifactCheck : IServedArtifactCheck
{
    public InsightArtifact? Verify(string artifactJson) => InsightArtifactParser.Parse(artifactJson).Artifact;
}
