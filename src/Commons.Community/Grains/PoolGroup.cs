namespace Commons.Community.Grains;

/// <summary>Artifacts that say the same thing: the first one's text and embedding, and every member's latest report.</summary>
internal sealed class PoolGroup(string id, PoolEntry founder, float[] vector)
{
    public string Id { get; } = id;

    public PoolEntry Founder { get; } = founder;

    public float[] Vector { get; } = vector;

    /// <summary>Each contributor's most recent artifact in the group (one vote each).</summary>
    public Dictionary<string, PoolEntry> Latest { get; } = new(StringComparer.Ordinal);

    public int Artifacts { get; private set; }

    /// <summary>
    /// When the group first had k members behind it, counted in the order groups got there in this
    /// activation (null until then): the order of the topic's digest, so a member reading it page by
    /// page sees newly served groups at the end.
    /// </summary>
    public long? ServedOrder { get; set; }

    /// <summary>Adds an artifact; returns whether the group has just reached <paramref name="k"/> members.</summary>
    public bool Add(PoolEntry entry, int k)
    {
        entry.Group = this;
        Artifacts++;
        var contributor = entry.Artifact.Contributor;
        if (!Latest.TryGetValue(contributor, out var current) || entry.Artifact.Created >= current.Artifact.Created)
        {
            Latest[contributor] = entry;
        }

        return ServedOrder is null && Latest.Count >= k;
    }
}
