namespace Commons.Abstractions.Pools;

/// <summary>
/// A pool serves a group in each of its members' wordings; a member stages each one under
/// <c>group:artifact</c>, and the pool reads the group and the wording back out of that id when the
/// member reports on it.
/// </summary>
public static class WordingId
{
    private const char Separator = ':';

    public static string Of(string groupId, string artifactId)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentException.ThrowIfNullOrEmpty(artifactId);
        return groupId + Separator + ArtifactKey(artifactId);
    }

    /// <summary>How an artifact is named inside a wording's id: the first 16 characters of its id.</summary>
    public static string ArtifactKey(string artifactId)
    {
        ArgumentNullException.ThrowIfNull(artifactId);
        return artifactId[..Math.Min(16, artifactId.Length)];
    }

    /// <summary>The artifact part of a wording's id (<see cref="ArtifactKey"/>); empty for a plain group id.</summary>
    public static string ArtifactKeyOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? "" : id[(at + 1)..];
    }

    /// <summary>The group of a wording's id; a plain group id is its own group.</summary>
    public static string Group(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? id : id[..at];
    }
}
