namespace Commons.Personal.Tests;

/// <summary>The repository's policies/ folder, and writable copies of it for tests that change a rule.</summary>
internal static class RepoPolicies
{
    public static string Folder { get; } = Find();

    /// <summary>Copies the shipped policies into <paramref name="target"/>, applying <paramref name="edit"/> to the named files.</summary>
    public static string CopyTo(string target, params (string File, Func<string, string> Edit)[] edits)
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        foreach (var (name, edit) in edits)
        {
            var path = Path.Combine(target, name);
            var before = File.ReadAllText(path);
            var after = edit(before);
            if (after == before)
            {
                throw new InvalidOperationException($"The edit of {name} changed nothing; the shipped policy changed under the test.");
            }

            File.WriteAllText(path, after);
        }

        return target;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "policies");
            if (File.Exists(Path.Combine(candidate, "sharing.yaml")) && File.Exists(Path.Combine(candidate, "guardrails.yaml")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The repository's policies folder was not found above " + AppContext.BaseDirectory);
    }
}
