namespace Commons.Inference.Models;

/// <summary>A GGUF file in the models folder.</summary>
/// <param name="Name">The catalog name when the file is a catalog model, otherwise the file name without extension.</param>
/// <param name="FilePath">The file's full path.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="CatalogEntry">The catalog entry with this file name, if any.</param>
public sealed record InstalledModel(string Name, string FilePath, long Size, ModelCatalogEntry? CatalogEntry)
{
    /// <summary>The file's name in the models folder.</summary>
    public string FileName => Path.GetFileName(FilePath);

    /// <summary>Whether the file is a catalog model, judged by name and size.</summary>
    public CatalogMatch Match => CatalogEntry is null
        ? CatalogMatch.NotInCatalog
        : CatalogEntry.Size == Size ? CatalogMatch.Matches : CatalogMatch.SizeDiffers;
}
