namespace Commons.Inference.Llama;

/// <summary>
/// The local model in use, which a running host can replace by another GGUF file: the new one is loaded
/// first (a bad file leaves the old one in use), then takes the new replies, and the old one is freed once
/// the replies it was writing are done.
/// </summary>
public sealed class ModelSlot : IDisposable
{
    private readonly Func<string, LocalModel> _load;
    private readonly SemaphoreSlim _switching = new(1, 1);
    private LocalModel _current;

    /// <param name="initial">The model loaded at start.</param>
    /// <param name="load">Loads another file with the same settings.</param>
    public ModelSlot(LocalModel initial, Func<string, LocalModel> load)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(load);
        _current = initial;
        _load = load;
    }

    /// <summary>Raised once another model is in use (inside the switch, so switches are reported in order).</summary>
    public event EventHandler? Switched;

    /// <summary>The model new replies use.</summary>
    public LocalModel Current => Volatile.Read(ref _current);

    /// <summary>Loads <paramref name="path"/> and puts it in use (nothing happens when it is in use already).</summary>
    public async Task<LocalModel> SwitchAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await _switching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (SameFile(Current.FilePath, path))
            {
                return Current;
            }

            var next = await Task.Run(() => _load(path), cancellationToken).ConfigureAwait(false);
            var old = Interlocked.Exchange(ref _current, next);
            _ = RetireAsync(old);
            Switched?.Invoke(this, EventArgs.Empty);
            return next;
        }
        finally
        {
            _switching.Release();
        }
    }

    public void Dispose()
    {
        Current.Dispose();
        _switching.Dispose();
    }

    // Every reply slot of the old model taken back means no reply is using it any more.
    private static async Task RetireAsync(LocalModel old)
    {
        for (var i = 0; i < old.Options.MaxConcurrentReplies; i++)
        {
            _ = await old.AcquireAsync(CancellationToken.None).ConfigureAwait(false);
        }

        old.Dispose();
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
