using Commons.Abstractions.Pools;

namespace Commons.Community.Grains;

/// <summary>The stored artifacts of one log segment.</summary>
public sealed class ArtifactSegmentState
{
    public List<StoredArtifact> Items { get; set; } = [];
}
