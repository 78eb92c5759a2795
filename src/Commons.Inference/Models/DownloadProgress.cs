namespace Commons.Inference.Models;

/// <summary>How far a pull has come.</summary>
/// <param name="Stage">Checking bytes on disk, or downloading.</param>
/// <param name="BytesDone">Bytes checked or downloaded so far, counting the resumed prefix.</param>
/// <param name="TotalBytes">The size of the whole file (while checking: the bytes on disk to check).</param>
/// <param name="ResumedFrom">Where this download started: the length of the partial file it resumed, or 0.</param>
public readonly record struct DownloadProgress(DownloadStage Stage, long BytesDone, long TotalBytes, long ResumedFrom);
