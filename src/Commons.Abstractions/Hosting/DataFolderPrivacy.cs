namespace Commons.Abstractions.Hosting;

/// <summary>
/// Keeps the data folder private to its owner: folders 0700, files 0600. The folder holds every chat,
/// note and key, so anything another account could read is made private at start.
/// </summary>
public static class DataFolderPrivacy
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Takes every permission for group and others off the folder and everything in it (symbolic links
    /// are not followed: what they point to is not the person's data folder). Returns the paths that were
    /// open to other accounts, relative to the folder; none when it does not exist or on Windows.
    /// A folder that cannot be made private is a <see cref="CommonsException"/>.
    /// </summary>
    public static IReadOnlyList<string> MakePrivate(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var changed = new List<string>();
        if (OperatingSystem.IsWindows() || !Directory.Exists(home.Root))
        {
            return changed;
        }

        var root = new DirectoryInfo(home.Root);
        try
        {
            Tighten(root, root, changed);
            foreach (var entry in root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                Tighten(root, entry, changed);
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new CommonsException($"The data folder {home.Root} is open to other accounts and cannot be made private ({ex.Message}); run 'chmod -R go-rwx {home.Root}' as its owner, or set {CommonsHome.EnvironmentVariable} to a folder of your own.", ex);
        }

        return changed;
    }

    /// <summary>
    /// Creates an empty file private to its owner where none exists, so that the SQLite database then made
    /// there (and its -wal and -shm files, which take the database's mode) is private whatever the umask.
    /// Any failure is left for SQLite to report in its own words.
    /// </summary>
    public static void CreatePrivateFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || File.Exists(path) || Directory.Exists(path))
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Made meanwhile, or not makeable: opening the database says which.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(DirectoryInfo root, FileSystemInfo entry, List<string> changed)
    {
        // A link's own mode means nothing, and its target may be someone else's file (a shared model).
        if (entry.LinkTarget is not null)
        {
            return;
        }

        var mode = entry.UnixFileMode;
        if ((mode & ~OwnerBits) == 0)
        {
            return;
        }

        entry.UnixFileMode = mode & OwnerBits;
        changed.Add(entry == root ? "the folder itself" : Path.GetRelativePath(root.FullName, entry.FullName));
    }
}
