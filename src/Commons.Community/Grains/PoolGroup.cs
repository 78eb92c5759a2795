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

    /// <summary>
    /// Bumped whenever what the group serves may have changed (a new artifact, a report on one of its
    /// contributors): a served form worked out for an earlier generation is stale.
    /// </summary>
    public int Generation { get; set; }

    // Everybody who published each text: a wording is theirs together.
    private readonly Dictionary<string, List<string>> _authors = new(StringComparer.Ordinal);

    /// <summary>The members who published this (normalised) text in the group.</summary>
    public IReadOnlyList<string> AuthorsOf(PoolEntry wording) => _authors.GetValueOrDefault(wording.Normalised) ?? [];

    /// <summary>
    /// Adds an artifact as its contributor's vote, unless that contributor already sent a newer one;
    /// true when its text is a wording the group did not have.
    /// </summary>
    public bool Add(PoolEntry entry)
    {
        var contributor = entry.Artifact.Contributor;
        var isNew = !_authors.ContainsKey(entry.Normalised);
        if (isNew)
        {
            Wordings.Add(entry);
            _authors[entry.Normalised] = [];
        }

        var authors = _authors[entry.Normalised];
        if (!authors.Contains(contributor, StringComparer.Ordinal))
        {
            authors.Add(contributor);
        }

        Generation++;
        if (!Latest.TryGetValue(contributor, out var current) || entry.Artifact.Created >= current.Artifact.Created)
        {
            Latest[contributor] = entry;
        }

        return isNew;
    }
}
