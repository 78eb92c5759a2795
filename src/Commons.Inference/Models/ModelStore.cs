using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Commons.Abstractions.Hosting;
using Commons.Inference.Gguf;

namespace Commons.Inference.Models;

/// <summary>
/// The models installed in the models folder: what is there, whether it is a catalog model, and
/// which file a model name refers to.
/// </summary>
public sealed partial class ModelStore
{
    private const string GgufPattern = "*.gguf";

    /// <summary>The suffix of the file beside a model that <c>model add</c> wrote its sha256 in (as <c>sha256sum</c> writes it).</summary>
    public const string HashSuffix = ".sha256";

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

    /// <summary>The installed name of the model file <paramref name="path"/>; its file's name when it is not installed.</summary>
    public string NameOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        return List().FirstOrDefault(m => string.Equals(Path.GetFullPath(m.FilePath), full, StringComparison.Ordinal))?.Name
            ?? Path.GetFileNameWithoutExtension(path);
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

    /// <summary>The installed model <paramref name="name"/>; a <see cref="CommonsException"/> listing the installed names when there is none.</summary>
    public InstalledModel Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = Resolve(name);
        return List().FirstOrDefault(m => m.FilePath == path) ?? throw NotInstalled(name);
    }

    /// <summary>The sha256 that <see cref="Add"/> recorded for <paramref name="model"/>, if it did.</summary>
    public static string? RecordedSha256(InstalledModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = model.FilePath + HashSuffix;
        return File.Exists(path) ? File.ReadAllText(path).Split(' ', 2)[0].Trim() : null;
    }

    /// <summary>
    /// Registers a GGUF file already on disk under <paramref name="name"/>: checks it is a whole GGUF
    /// file, copies it into the models folder (private to the person) while hashing it, and records
    /// its sha256 beside it. The original stays where it is; nothing installed is replaced.
    /// </summary>
    public (InstalledModel Model, string Sha256) Add(string name, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        if (!ModelName().IsMatch(name))
        {
            throw new CommonsException($"\"{name}\" cannot be a model name: use letters, digits, '.', '-' and '_', starting with a letter or digit.");
        }

        if (Catalog.Find(name) is { } entry)
        {
            throw new CommonsException($"{entry.Name} is the name of a catalog model ('commons model pull {entry.Name}' installs it); choose another name.");
        }

        if (Resolve(name) is not null)
        {
            throw new CommonsException($"A model named {name} is already installed; remove it first with 'commons model rm {name}', or choose another name.");
        }

        GgufReader.Read(sourcePath);
        Directory.CreateDirectory(Folder);
        var target = Path.Combine(Folder, name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name : name + ".gguf");
        var partial = target + ModelDownloader.PartialSuffix;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        string sha256;
        try
        {
            using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            using (var copy = new FileStream(partial, options))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    copy.Write(buffer, 0, read);
                }

                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            File.Move(partial, target);
            File.WriteAllText(target + HashSuffix, $"{sha256}  {Path.GetFileName(target)}\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new CommonsException($"Could not copy {sourcePath} into {Folder}: {ex.Message}", ex);
        }

        return (Get(Path.GetFileName(target)), sha256);
    }

    /// <summary>Deletes the installed model <paramref name="name"/> (and the hash recorded beside it).</summary>
    public InstalledModel Remove(string name)
    {
        var model = Get(name);
        try
        {
            File.Delete(model.FilePath);
            File.Delete(model.FilePath + HashSuffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Could not remove {model.FilePath}: {ex.Message}", ex);
        }

        return model;
    }

    /// <summary>One sentence: no model of that name, and which names there are.</summary>
    public CommonsException NotInstalled(string name)
    {
        var names = List().Select(m => m.Name).ToList();
        return new CommonsException(names.Count == 0
            ? $"No model named \"{name}\" is installed; no models are installed yet (see 'commons model list --available')."
            : $"No model named \"{name}\" is installed; the installed models are {string.Join(", ", names)}.");
    }

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ModelName();

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
