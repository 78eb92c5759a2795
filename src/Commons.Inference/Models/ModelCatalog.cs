using System.Text.Json;
using Commons.Abstractions.Hosting;

namespace Commons.Inference.Models;

/// <summary>
/// The models <c>commons model pull</c> knows by name, read from the catalog.json embedded in this
/// assembly: each with its HTTPS address, exact size, sha256 and licence.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>The manifest name of the embedded catalog.</summary>
    public const string ResourceName = "Commons.Inference.Models.catalog.json";

    private static readonly Lazy<ModelCatalog> Embedded = new(ReadEmbedded);

    private ModelCatalog(IReadOnlyList<ModelCatalogEntry> entries, ModelCatalogEntry defaultEntry)
    {
        Entries = entries;
        Default = defaultEntry;
    }

    /// <summary>Every entry, in catalog order (smallest first).</summary>
    public IReadOnlyList<ModelCatalogEntry> Entries { get; }

    /// <summary>The model to suggest first: the smallest that chats acceptably.</summary>
    public ModelCatalogEntry Default { get; }

    /// <summary>The catalog shipped with Commons.</summary>
    public static ModelCatalog LoadEmbedded() => Embedded.Value;

    /// <summary>
    /// Reads a catalog from JSON and checks every entry (HTTPS address, plain .gguf file name,
    /// positive size, 64-hex sha256, licence); a bad catalog becomes a <see cref="CommonsException"/>.
    /// </summary>
    public static ModelCatalog Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw new CommonsException("The model catalog must be an object with a \"models\" array.");
            }

            var entries = new List<ModelCatalogEntry>();
            foreach (var model in models.EnumerateArray())
            {
                var entry = ReadEntry(model, entries.Count);
                if (entries.Exists(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new CommonsException($"The model catalog lists {entry.Name} twice.");
                }

                if (entries.Exists(e => string.Equals(e.FileName, entry.FileName, StringComparison.Ordinal)))
                {
                    throw new CommonsException($"The model catalog gives the file {entry.FileName} to two models.");
                }

                entries.Add(entry);
            }

            if (entries.Count == 0)
            {
                throw new CommonsException("The model catalog lists no models.");
            }

            var defaultName = root.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var defaultEntry = defaultName is null
                ? entries[0]
                : entries.Find(e => string.Equals(e.Name, defaultName, StringComparison.OrdinalIgnoreCase))
                  ?? throw new CommonsException($"The model catalog's default, {defaultName}, is not one of its models.");
            return new ModelCatalog(entries, defaultEntry);
        }
        catch (JsonException ex)
        {
            throw new CommonsException($"The model catalog is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The entry with this name (case-insensitive), or null.</summary>
    public ModelCatalogEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entry whose file has this name, or null.</summary>
    public ModelCatalogEntry? FindByFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.FileName, fileName, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entry with this name; an unknown name becomes a <see cref="CommonsException"/> listing the known ones.</summary>
    public ModelCatalogEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(name) ?? throw new CommonsException(
            $"There is no model called '{name.Trim()}' in the catalog; the models are: {string.Join(", ", Entries.Select(e => e.Name))}.");
    }

    private static ModelCatalog ReadEmbedded()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static ModelCatalogEntry ReadEntry(JsonElement model, int index)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw new CommonsException($"Model {index + 1} in the catalog is not an object.");
        }

        var name = RequiredString(model, "name", $"model {index + 1}");
        var fileName = RequiredString(model, "file", name);
        if (fileName != Path.GetFileName(fileName) || fileName.Contains('\\', StringComparison.Ordinal) || fileName.StartsWith('.')
            || !fileName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            throw new CommonsException($"The catalog's file name for {name}, '{fileName}', must be a plain .gguf file name.");
        }

        var urlText = RequiredString(model, "url", name);
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new CommonsException($"The catalog's address for {name}, '{urlText}', is not an https URL.");
        }

        if (!model.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size <= 0)
        {
            throw new CommonsException($"The catalog's size for {name} must be a positive number of bytes.");
        }

        var sha256 = RequiredString(model, "sha256", name).ToLowerInvariant();
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new CommonsException($"The catalog's sha256 for {name} must be 64 hex digits.");
        }

        return new ModelCatalogEntry(
            name,
            fileName,
            url,
            size,
            sha256,
            RequiredString(model, "licence", name),
            RequiredString(model, "description", name),
            RequiredString(model, "chatTemplate", name));
    }

    private static string RequiredString(JsonElement model, string property, string owner)
    {
        if (!model.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new CommonsException($"The model catalog is missing \"{property}\" for {owner}.");
        }

        return value.GetString()!.Trim();
    }
}
