namespace Commons.Community.Grains;

/// <summary>Artifacts that say the same thing: the first one's text and embedding, and every member's latest report.</summary>
internal sealed class PoolGroup(string id, PoolEntry founder, float[] vector)
{
    public string Id { get; } = id;

    public PoolEntry Founder { get; } = founder;

    public float[] Vector { get; } = vector;

    /// <summary>Each contributor's most recent artifact in the group (one vote each).</summary>
    public Dictionary<string, PoolEntry> Latest { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds an artifact as its contributor's vote, unless that contributor already sent a newer one.</summary>
    public void Add(PoolEntry entry)
    {
        var contributor = entry.Artifact.Contributor;
        if (!Latest.TryGetValue(contributor, out var current) || entry.Artifact.Created >= current.Artifact.Created)
        {
            Latest[contributor] = entry;
        }
    }
}
