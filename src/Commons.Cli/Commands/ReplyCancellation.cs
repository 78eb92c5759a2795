namespace Commons.Cli.Commands;

/// <summary>
/// Ctrl-C while a reply streams stops that reply only; at the prompt it ends the program as usual.
/// </summary>
internal sealed class ReplyCancellation : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

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

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        End();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        lock (_gate)
        {
            if (_current is { IsCancellationRequested: false })
            {
                e.Cancel = true;
                _current.Cancel();
            }
        }
    }
}
