using System.ComponentModel;
using Commons.Tools.Files;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>Reads the person's files, only inside the folders they allowed in <c>policies/tools.yaml</c>.</summary>
public sealed class FilesPlugin(AllowedFolders folders, PersonClock clock)
{
    public const string PluginName = "files";
    private const int MaxFileBytes = 2_000_000;
    private const int MaxMatches = 50;

    [KernelFunction("list")]
    [Description("Lists the files and folders in a folder the person allowed.")]
    public IReadOnlyList<FileEntry> List([Description("The folder; empty for the first allowed folder")] string path = "")
    {
        var folder = folders.Resolve(path);
        if (!Directory.Exists(folder))
        {
            throw new ToolException($"{path} is not a folder.");
        }

        return new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Take(500)
            .Select(i => new FileEntry(i.FullName, i is DirectoryInfo, i is FileInfo f ? f.Length : 0, clock.Format(i.LastWriteTimeUtc)))
            .ToList();
    }

    [KernelFunction("read")]
    [Description("Reads a text file inside the allowed folders.")]
    public async Task<string> ReadAsync(
        [Description("The file's path")] string path,
        [Description("The most characters to return")] int maxChars = 20000,
        CancellationToken cancellationToken = default)
    {
        var file = folders.Resolve(path);
        if (!File.Exists(file))
        {
            throw new ToolException($"There is no file {path}.");
        }

        if (new FileInfo(file).Length > MaxFileBytes)
        {
            throw new ToolException($"{path} is larger than {MaxFileBytes / 1_000_000} MB.");
        }

        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        var limit = Math.Clamp(maxChars, 1, 200_000);
        return text.Length <= limit ? text : text[..limit] + $"\n[... {text.Length - limit} more characters]";
    }

    [KernelFunction("search")]
    [Description("Finds lines containing a text in the files inside the allowed folders (case-insensitive).")]
    public async Task<IReadOnlyList<FileMatch>> SearchAsync(
        [Description("The text to look for")] string text,
        [Description("The folder to search; empty for every allowed folder")] string path = "",
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ToolException("Say what text to look for.");
        }

        var roots = string.IsNullOrWhiteSpace(path) ? folders.Roots : [folders.Resolve(path)];
        var matches = new List<FileMatch>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden };
        foreach (var root in roots)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", options))
            {
                if (new FileInfo(file).Length > MaxFileBytes || IsBinary(file))
                {
                    continue;
                }

                var number = 0;
                await foreach (var line in File.ReadLinesAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    number++;
                    if (line.Contains(text, StringComparison.OrdinalIgnoreCase))
                    {
                        matches.Add(new FileMatch(file, number, line.Length <= 300 ? line : line[..300]));
                        if (matches.Count >= MaxMatches)
                        {
                            return matches;
                        }
                    }
                }
            }
        }

        return matches;
    }

    private static bool IsBinary(string file)
    {
        Span<byte> head = stackalloc byte[512];
        using var stream = File.OpenRead(file);
        var read = stream.Read(head);
        return head[..read].Contains((byte)0);
    }
}
