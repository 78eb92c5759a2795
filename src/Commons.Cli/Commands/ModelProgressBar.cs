using Commons.Inference.Models;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>Shows a pull's progress as Spectre.Console bars (bytes, speed, time left) in an interactive terminal.</summary>
internal sealed class ModelProgressBar(ProgressContext context, string name) : IProgress<DownloadProgress>
{
    private ProgressTask? _checking;
    private ProgressTask? _download;
    private long _resumedFrom = -1;

    public void Report(DownloadProgress value)
    {
        if (value.Stage == DownloadStage.Checking)
        {
            _checking ??= context.AddTask(Markup.Escape($"checking {ByteCount.Format(value.TotalBytes)} on disk"), maxValue: Math.Max(1, value.TotalBytes));
            _checking.Value = value.BytesDone;
            return;
        }

        if (_download is null || _resumedFrom != value.ResumedFrom)
        {
            // The bar counts this session's bytes only, so speed and time left are not skewed by the resumed part.
            _download?.StopTask();
            _resumedFrom = value.ResumedFrom;
            var description = value.ResumedFrom > 0 ? $"{name} (resumed at {ByteCount.Format(value.ResumedFrom)})" : name;
            _download = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, value.TotalBytes - value.ResumedFrom));
        }

        _download.Value = value.BytesDone - value.ResumedFrom;
    }
}
