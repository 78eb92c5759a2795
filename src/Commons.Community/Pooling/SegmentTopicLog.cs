using Commons.Abstractions.Pools;

namespace Commons.Community.Pooling;

/// <summary>
/// A topic log in fixed-size segment grains (<see cref="IArtifactSegmentGrain"/>), kept in whatever grain
/// storage the silo has: the log of silos without PostgreSQL (the benchmark's SQLite silo). Each append
/// rewrites the segment it lands in, so the writer never lets an append cross a segment.
/// </summary>
public sealed class SegmentTopicLog(IGrainFactory grains, int segmentSize) : ITopicLog
{
    /// <summary>The most artifacts one append may carry when the log ends at <paramref name="last"/>.</summary>
    public int Room(long last) => segmentSize - (int)(last % segmentSize);

    public Task AppendAsync(string topic, IReadOnlyList<StoredArtifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        return artifacts.Count == 0 ? Task.CompletedTask : Segment(topic, (artifacts[0].Sequence - 1) / segmentSize).AppendAsync(artifacts);
    }

    public async Task<IReadOnlyList<StoredArtifact>> ReadAsync(string topic, long after, int max)
    {
        var first = after / segmentSize;
        // Every segment from the one holding the position after `after` to the one holding after + max,
        // wherever `after` falls inside its segment: a short page means the end of the log to the reader.
        var count = (int)Math.Max(1, ((after + Math.Max(max, 1) - 1) / segmentSize) - first + 1);
        var segments = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Segment(topic, first + i).ReadAsync()));
        return segments.SelectMany(s => s).Where(a => a.Sequence > after).Take(max).ToList();
    }

    private IArtifactSegmentGrain Segment(string topic, long index) => grains.GetGrain<IArtifactSegmentGrain>($"{topic}/{index}");
}
