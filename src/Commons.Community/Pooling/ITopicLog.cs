using Commons.Abstractions.Pools;

namespace Commons.Community.Pooling;

/// <summary>
/// Each topic's durable, append-only log: the truth a topic's groups are rebuilt from. Only the topic's
/// own grain appends, one append at a time, at the position after the last one.
/// </summary>
public interface ITopicLog
{
    /// <summary>
    /// Appends artifacts at the positions they carry and returns once they are durable. Throws when the
    /// write failed or a position is taken (another writer of the topic): then whether it reached the
    /// database is unknown, and the caller reloads.
    /// </summary>
    Task AppendAsync(string topic, IReadOnlyList<StoredArtifact> artifacts);

    /// <summary>The most artifacts one append may carry when the topic's log ends at position <paramref name="last"/>.</summary>
    int Room(long last);

    /// <summary>At most <paramref name="max"/> artifacts after position <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<StoredArtifact>> ReadAsync(string topic, long after, int max);
}
