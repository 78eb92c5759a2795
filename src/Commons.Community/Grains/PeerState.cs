namespace Commons.Community.Grains;

/// <summary>How far this pool has followed a peer's feed, topic by topic.</summary>
public sealed class PeerState
{
    public bool Joined { get; set; }

    public Dictionary<string, long> Cursors { get; set; } = new(StringComparer.Ordinal);

    public long Replicated { get; set; }

    public long Rejected { get; set; }

    public DateTimeOffset? LastSync { get; set; }

    public string? LastError { get; set; }
}
