using Commons.Abstractions.Pools;

namespace Commons.Community.Grains;

/// <summary>An artifact held by a topic grain: where it is in the log and which group it joined.</summary>
internal sealed class PoolEntry(PooledArtifact artifact, long sequence, DateTimeOffset receivedAt, string normalised, string display)
{
    public PooledArtifact Artifact { get; } = artifact;

    public long Sequence { get; } = sequence;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public string Normalised { get; } = normalised;

    public string Display { get; } = display;

    public StoredArtifact ToStored() => new(Sequence, Artifact.Json, ReceivedAt, Artifact.Source);
}
