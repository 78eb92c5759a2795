using Commons.Insights;

namespace Commons.Privacy.Policies;

/// <summary>
/// A loaded, validated policy folder: <c>redaction.yaml</c>, <c>sharing.yaml</c> and the files they
/// name. <see cref="Hash"/> is the sha256 over the canonical content of all policy files and goes into
/// every artifact made under this set.
/// </summary>
public sealed record PolicySet(string Directory, string Id, string Hash, RedactionPolicy Redaction, SharingPolicy Sharing)
{
    /// <summary>The redaction policy file name.</summary>
    public const string RedactionFile = "redaction.yaml";

    /// <summary>The sharing policy file name.</summary>
    public const string SharingFile = "sharing.yaml";

    /// <summary>The id and hash recorded in artifacts.</summary>
    public PolicyReference Reference => new(Id, Hash);

    /// <summary>
    /// Loads and validates a policy folder. Throws <see cref="PolicyLoadException"/> naming file:line
    /// for every problem found.
    /// </summary>
    public static PolicySet Load(string directory) => PolicyLoader.Load(directory);

    /// <summary>
    /// The content hash of a policy folder: sha256 (lowercase hex) over every <c>.yaml</c>, <c>.yml</c>
    /// and <c>.txt</c> file below it, in ordinal order of their relative paths, each as
    /// "path NUL length NUL content" with line endings normalised to LF and no byte-order mark.
    /// </summary>
    public static string ComputeHash(string directory) => PolicyHasher.Compute(directory);
}
