namespace Commons.Abstractions.Pools;

/// <summary>
/// A fixed-size slice of a topic's durable log, keyed <c>topic/segment</c>. Only its topic's pool grain
/// writes to it; full segments are never written again, so a write costs at most one segment.
/// </summary>
[Alias("Commons.IArtifactSegmentGrain")]
public interface IArtifactSegmentGrain : IGrainWithStringKey
{
    /// <summary>Appends artifacts and returns once the segment is written to the database.</summary>
    [Alias("Append")]
    Task AppendAsync(IReadOnlyList<StoredArtifact> artifacts);

    [Alias("Read")]
    Task<IReadOnlyList<StoredArtifact>> ReadAsync();
}
