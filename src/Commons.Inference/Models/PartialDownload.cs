namespace Commons.Inference.Models;

/// <summary>An unfinished download in the models folder, which the next pull of that model resumes.</summary>
/// <param name="FilePath">The <c>.partial</c> file's full path.</param>
/// <param name="BytesDone">Bytes received so far.</param>
/// <param name="CatalogEntry">The catalog entry it belongs to, if any.</param>
public sealed record PartialDownload(string FilePath, long BytesDone, ModelCatalogEntry? CatalogEntry);
