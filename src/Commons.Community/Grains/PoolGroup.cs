namespace Commons.Community.Grains;

/// <summary>
/// Artifacts that say the same thing: the first one's text and embedding, every member's latest
/// report (the group's evidence, one vote each), and each distinct wording in the order it arrived.
/// </summary>
internal sealed class PoolGroup(string id, PoolEntry founder, float[] vector)
{
    public string Id { get; } = id;

    public PoolEntry Founder { get; } = founder;

    public float[] Vector { get; } = vector;

    /// <summary>Each contributor's most recent artifact in the group (one vote each).</summary>
    public Dictionary<string, PoolEntry> Latest { get; } = new(StringComparer.Ordinal);

    /// <summary>The first artifact of each distinct (normalised) text in the group.</summary>
    public List<PoolEntry> Wordings { get; } = [];

    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds an artifact as its contributor's vote, unless that contributor already sent a newer one;
    /// true when its text is a wording the group did not have.
    /// </summary>
    public bool Add(PoolEntry entry)
    {
        var isNew = _texts.Add(entry.Normalised);
        if (isNew)
        {
            Wordings.Add(entry);
        }

        var contributor = entry.Artifact.Contributor;
        if (!Latest.TryGetValue(contributor, out var current) || entry.Artifact.Created >= current.Artifact.Created)
        {
            Latest[contributor] = entry;
        }

        return isNew;
    }
}
