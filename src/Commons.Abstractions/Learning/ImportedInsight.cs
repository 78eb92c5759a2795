namespace Commons.Abstractions.Learning;

/// <summary>
/// An insight pulled from a pool, as the playbook receives it: the situation and what it recommends,
/// the pool's aggregated evidence and the contributor's reputation (0 to 1).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ImportedInsight")]
public sealed record ImportedInsight(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Pool,
    [property: Id(2)] string Contributor,
    [property: Id(3)] string Topic,
    [property: Id(4)] string Situation,
    [property: Id(5)] string Advice,
    [property: Id(6)] string? Action,
    [property: Id(7)] double Successes,
    [property: Id(8)] double Failures,
    [property: Id(9)] double Reputation)
{
    /// <summary>The id under which wording <paramref name="index"/> of a pool group is staged (0: the group's own).</summary>
    public static string WordingId(string groupId, int index) => index == 0 ? groupId : $"{groupId}#{index}";

    /// <summary>The pool group an imported artifact id belongs to (itself unless it is one of a group's wordings).</summary>
    public static string GroupOf(string artifactId)
    {
        ArgumentNullException.ThrowIfNull(artifactId);
        var hash = artifactId.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? artifactId : artifactId[..hash];
    }
}
