namespace Commons.Inference.Models;

/// <summary>How an installed GGUF file relates to the catalog (judged by name and size, without hashing).</summary>
public enum CatalogMatch
{
    /// <summary>No catalog entry has this file name: a model the person put there themselves.</summary>
    NotInCatalog,

    /// <summary>A catalog entry has this file name and size.</summary>
    Matches,

    /// <summary>A catalog entry has this file name but another size: not the catalog's file.</summary>
    SizeDiffers,
}
