namespace Commons.Inference.Models;

/// <summary>The outcome of a successful pull.</summary>
/// <param name="Entry">The catalog entry that was pulled.</param>
/// <param name="FilePath">Where the verified model is installed.</param>
/// <param name="Outcome">Downloaded, resumed, or already installed.</param>
/// <param name="BytesDownloaded">Bytes received from the server in this pull.</param>
public sealed record PullResult(ModelCatalogEntry Entry, string FilePath, PullOutcome Outcome, long BytesDownloaded);
