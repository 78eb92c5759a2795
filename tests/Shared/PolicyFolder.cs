namespace Commons.Tests.Shared;

/// <summary>A copy of the policies shipped beside the test's <c>commons</c>, its sharing rules changed as a test says. Linked into each test project that needs it.</summary>
internal static class PolicyFolder
{
    /// <summary>The policies folder shipped next to the executable in the test output.</summary>
    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "policies");

    /// <summary>Copies the shipped policies to <paramref name="target"/> and applies <paramref name="editSharing"/> to its sharing.yaml; returns the folder.</summary>
    public static string CopyShipped(string target, Func<string, string>? editSharing = null)
    {
        foreach (var file in Directory.EnumerateFiles(Shipped, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        if (editSharing is not null)
        {
            var sharing = Path.Combine(target, "sharing.yaml");
            File.WriteAllText(sharing, editSharing(File.ReadAllText(sharing)));
        }

        return target;
    }
}
