using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Commons.Privacy.Policies;

/// <summary>The canonical content hash of a policy folder (see <see cref="PolicySet.ComputeHash"/>).</summary>
internal static class PolicyHasher
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".txt"];

    public static string Compute(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relative, full) in Files(directory))
        {
            var content = Encoding.UTF8.GetBytes(PolicyReader.ReadCanonical(full));
            hash.AppendData(Encoding.UTF8.GetBytes(relative));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(content.Length.ToString(CultureInfo.InvariantCulture)));
            hash.AppendData([0]);
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// What the folder's policy files look like without reading them: each one's path, size and last
    /// write time. While it stays the same, the content hash cannot have changed.
    /// </summary>
    public static string Stamp(string directory)
    {
        var stamp = new StringBuilder();
        foreach (var (relative, full) in Files(directory))
        {
            var file = new FileInfo(full);
            stamp.Append(relative).Append('\0')
                .Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append('\0')
                .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return stamp.ToString();
    }

    private static IEnumerable<(string Relative, string Full)> Files(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => (Path.GetRelativePath(directory, f).Replace('\\', '/'), f))
            .OrderBy(f => f.Item1, StringComparer.Ordinal);
}
