namespace Commons.Cli.Commands;

/// <summary>
/// The first Ctrl-C during a pull stops it cleanly (the partial file is kept for resuming); a
/// second one ends the program as usual.
/// </summary>
internal sealed class ModelInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source;

    public ModelInterrupt(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (!_source.IsCancellationRequested)
        {
            e.Cancel = true;
            _source.Cancel();
        }
    }
}
