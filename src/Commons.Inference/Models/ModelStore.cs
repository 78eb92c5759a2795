using Commons.Abstractions.Hosting;

namespace Commons.Inference.Models;

/// <summary>
/// The models installed in the models folder: what is there, whether it is a catalog model, and
/// which file a model name refers to.
/// </summary>
public sealed class ModelStore
{
    private const string GgufPattern = "*.gguf";

    public ModelStore(string modelsFolder, ModelCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsFolder);
        ArgumentNullException.ThrowIfNull(catalog);
        Folder = Path.GetFullPath(modelsFolder);
        Catalog = catalog;
    }

    /// <summary>The models folder.</summary>
    public string Folder { get; }

    public ModelCatalog Catalog { get; }

    /// <summary>The store of the person's data folder, with the embedded catalog.</summary>
    public static ModelStore ForHome(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return new ModelStore(home.ModelsFolder, ModelCatalog.LoadEmbedded());
    }

    /// <summary>The installed GGUF files, by name; none when the folder does not exist yet.</summary>
    public IReadOnlyList<InstalledModel> List()
    {
        return Enumerate(GgufPattern)
            .Select(file =>
            {
                var entry = Catalog.FindByFileName(file.Name);
                return new InstalledModel(entry?.Name ?? Path.GetFileNameWithoutExtension(file.Name), file.FullName, file.Length, entry);
            })
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The unfinished downloads that a pull would resume.</summary>
    public IReadOnlyList<PartialDownload> ListPartial()
    {
        return Enumerate(GgufPattern + ModelDownloader.PartialSuffix)
            .Select(file => new PartialDownload(
                file.FullName,
                file.Length,
                Catalog.FindByFileName(file.Name[..^ModelDownloader.PartialSuffix.Length])))
            .OrderBy(p => p.FilePath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The path of the installed model a name refers to: a catalog name (<c>qwen2.5-0.5b-instruct</c>),
    /// or the name of a GGUF file in the models folder, with or without <c>.gguf</c>. Null when
    /// nothing installed matches.
    /// </summary>
    public string? Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed != Path.GetFileName(trimmed) || trimmed.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        string[] candidates = Catalog.Find(trimmed) is { } entry
            ? [entry.FileName]
            : [trimmed, trimmed + ".gguf"];
        foreach (var candidate in candidates)
        {
            var path = Path.Combine(Folder, candidate);
            if (candidate.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private IEnumerable<FileInfo> Enumerate(string pattern)
    {
        try
        {
            var folder = new DirectoryInfo(Folder);
            return folder.Exists
                ? folder.EnumerateFiles(pattern, new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive }).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Cannot read the models folder {Folder}: {ex.Message}", ex);
        }
    }
}
