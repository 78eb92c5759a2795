using System.Diagnostics;
using System.Globalization;
using Commons.Inference.Models;

namespace Commons.Cli.Commands;

/// <summary>Shows a pull's progress as a plain line every few seconds, for logs and redirected output.</summary>
internal sealed class ModelProgressLines(TextWriter output, string name) : IProgress<DownloadProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private DownloadStage? _stage;
    private long _resumedFrom = -1;
    private long _started;
    private long _lastLine;
    private bool _finished;

    public void Report(DownloadProgress value)
    {
        if (value.Stage == DownloadStage.Checking)
        {
            if (_stage != DownloadStage.Checking)
            {
                _stage = DownloadStage.Checking;
                output.WriteLine($"Checking the {ByteCount.Format(value.TotalBytes)} already on disk...");
            }

            return;
        }

        if (_stage != DownloadStage.Downloading || _resumedFrom != value.ResumedFrom)
        {
            _stage = DownloadStage.Downloading;
            _resumedFrom = value.ResumedFrom;
            _started = _lastLine = Stopwatch.GetTimestamp();
            _finished = false;
            output.WriteLine(value.ResumedFrom > 0
                ? $"Resuming {name} at {ByteCount.Format(value.ResumedFrom)} of {ByteCount.Format(value.TotalBytes)}."
                : $"Downloading {name} ({ByteCount.Format(value.TotalBytes)}).");
            return;
        }

        var finished = value.BytesDone >= value.TotalBytes;
        if (_finished || (!finished && Stopwatch.GetElapsedTime(_lastLine) < Interval))
        {
            return;
        }

        _finished = finished;
        _lastLine = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var speed = seconds > 0 ? (value.BytesDone - value.ResumedFrom) / seconds : 0;
        var percent = value.TotalBytes > 0 ? 100.0 * value.BytesDone / value.TotalBytes : 100;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"  {ByteCount.Format(value.BytesDone)} of {ByteCount.Format(value.TotalBytes)} ({percent:0}%), {ByteCount.Format((long)speed)}/s");
        if (!finished && speed > 0)
        {
            line += $", about {FormatDuration(TimeSpan.FromSeconds((value.TotalBytes - value.BytesDone) / speed))} left";
        }

        output.WriteLine(line);
    }

    private static string FormatDuration(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours} h {time.Minutes} min")
        : time.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes} min {time.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)time.TotalSeconds)} s");
}
