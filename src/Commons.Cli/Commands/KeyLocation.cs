using Commons.Abstractions.Hosting;

namespace Commons.Cli.Commands;

/// <summary>
/// Where a private key file given on the command line lives: a bare name (<c>admin.key</c>) means the
/// data folder's <c>keys</c> folder, next to the member keys; a path is taken as it is.
/// </summary>
internal static class KeyLocation
{
    /// <summary>The file <c>pool keygen --out</c> writes.</summary>
    public static string ForWriting(string given, CommonsHome home) =>
        IsBareName(given) ? Path.Combine(KeysFolder(home), given) : Path.GetFullPath(given);

    /// <summary>The file <c>--admin-key</c> reads: the keys folder's for a bare name, else (keys made before) as given.</summary>
    public static string ForReading(string given, CommonsHome home)
    {
        if (IsBareName(given) && Path.Combine(KeysFolder(home), given) is var inKeys && File.Exists(inKeys))
        {
            return inKeys;
        }

        return Path.GetFullPath(given);
    }

    /// <summary>The root of the git work tree that holds <paramref name="path"/>, or null when none does.</summary>
    public static string? GitWorkTree(string path)
    {
        // What git itself looks for: a .git folder (or, in a linked work tree, a .git file) in a parent.
        for (var folder = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!); folder is not null; folder = folder.Parent)
        {
            var dotGit = Path.Combine(folder.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    private static string KeysFolder(CommonsHome home) => Path.Combine(home.Root, "keys");

    private static bool IsBareName(string given) =>
        given.Length > 0 && given == Path.GetFileName(given) && given is not "." and not "..";
}
