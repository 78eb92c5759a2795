using System.Collections.Concurrent;
using Commons.Inference.Models;

namespace Commons.Inference.Tests.Models;

/// <summary>Keeps every progress report, in order (reports arrive synchronously from the download).</summary>
internal sealed class RecordingProgress : IProgress<DownloadProgress>
{
    private readonly ConcurrentQueue<DownloadProgress> _reports = new();

    public IReadOnlyList<DownloadProgress> Reports => [.. _reports];

    public void Report(DownloadProgress value) => _reports.Enqueue(value);
}
