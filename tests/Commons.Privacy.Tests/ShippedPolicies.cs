using Commons.Privacy.Policies;

namespace Commons.Privacy.Tests;

/// <summary>The repository's policies/ folder, copied beside the tests.</summary>
internal static class ShippedPolicies
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "policies");

    public static readonly Lazy<PolicySet> Set = new(() => PolicySet.Load(Folder));

    /// <summary>A writable copy of the shipped policies in a temp folder.</summary>
    public static string CopyToTemp()
    {
        var target = Path.Combine(Path.GetTempPath(), $"commons-policies-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
