namespace Commons.Tools.Files;

/// <summary>
/// The folders the person allowed the files plugin to read. A path is inside only if its real
/// location (every symbolic link along it followed, <c>..</c> resolved) is inside the real location
/// of an allowed folder.
/// </summary>
public sealed class AllowedFolders
{
    private const int MaxLinks = 40;
    private readonly IReadOnlyList<string> _roots;

    public AllowedFolders(IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        _roots = folders.Where(Directory.Exists).Select(RealPath).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The allowed folders as they really are (links followed).</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>
    /// The real path of <paramref name="path"/> (relative paths are taken inside the first allowed
    /// folder) when it is inside an allowed folder; otherwise a <see cref="ToolException"/>.
    /// </summary>
    public string Resolve(string path)
    {
        if (_roots.Count == 0)
        {
            throw new ToolException("The person has not allowed any folder to be read (files.folders in policies/tools.yaml).");
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            return _roots[0];
        }

        var expanded = path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
        var real = RealPath(Path.GetFullPath(expanded, _roots[0]));
        if (!_roots.Any(root => IsInside(real, root)))
        {
            throw new ToolException($"{path} is outside the folders the person allowed ({string.Join(", ", _roots)}).");
        }

        return real;
    }

    private static bool IsInside(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Follows every link along the path, component by component (like realpath(3)); missing parts are kept as written.</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new ToolException($"{path} has too many symbolic links.");
                }

                var resolved = Path.GetFullPath(target, current);
                var resolvedRoot = Path.GetPathRoot(resolved) ?? "/";
                foreach (var piece in resolved[resolvedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(piece);
                }

                current = resolvedRoot;
                continue;
            }

            current = next;
        }

        return current;
    }
}
