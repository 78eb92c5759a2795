using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// Ctrl-C while a reply streams stops that reply only. At the prompt the first Ctrl-C says how to
/// leave and a second one (before another line is typed) leaves.
/// </summary>
internal sealed class ReplyCancellation : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _leave = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _current;
    private int _idleInterrupts;

    public ReplyCancellation() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Begin()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = new CancellationTokenSource();
            return _current.Token;
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    /// <summary>The person's next line; null at the end of input or when they pressed Ctrl-C twice.</summary>
    public async Task<string?> ReadLineAsync(TextReader input, CancellationToken cancellationToken)
    {
        // A console read cannot be cancelled, so it runs beside the wait for the second Ctrl-C.
        var read = Task.Run(async () => await input.ReadLineAsync(cancellationToken).ConfigureAwait(false), cancellationToken);
        if (await Task.WhenAny(read, _leave.Task).ConfigureAwait(false) != read)
        {
            return null;
        }

        Interlocked.Exchange(ref _idleInterrupts, 0);
        return await read.ConfigureAwait(false);
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        End();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        lock (_gate)
        {
            if (_current is { IsCancellationRequested: false })
            {
                _current.Cancel();
                return;
            }
        }

        if (Interlocked.Increment(ref _idleInterrupts) >= 2)
        {
            Console.Out.WriteLine();
            _leave.TrySetResult();
            return;
        }

        Console.Out.WriteLine();
        AnsiConsole.MarkupLine("[grey]Ctrl-C stops a reply while it is written. To leave, press Ctrl-C again, or type /quit, or Ctrl-D.[/]");
        if (!Console.IsInputRedirected)
        {
            AnsiConsole.Markup(ChatHelp.Prompt);
        }
    }
}
