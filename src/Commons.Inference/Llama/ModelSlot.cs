namespace Commons.Inference.Llama;

/// <summary>
/// The local model in use, which a running host can replace by another GGUF file. A reply rents the model it
/// is written with (<see cref="Rent"/>, <see cref="RentAsync"/>) and is named after that lease; a switch loads
/// the new model first (a bad file leaves the old one in use), puts it in use for the next leases, and the old
/// one is freed when its last lease ends, so replies in flight are never disturbed.
/// </summary>
public sealed class ModelSlot : IDisposable
{
    private readonly Func<string, LocalModel> _load;
    private readonly Func<string, string> _nameOf;
    private readonly SemaphoreSlim _switching = new(1, 1);
    private readonly Lock _gate = new();

    // Every model still loaded: the one in use, and older ones that replies still hold.
    private readonly List<Loaded> _loaded = [];
    private Loaded _current;
    private bool _disposed;

    /// <param name="initial">The model loaded at start.</param>
    /// <param name="load">Loads another file with the same settings.</param>
    /// <param name="nameOf">The name replies go out under for a model file (its installed name); by default the file's name.</param>
    public ModelSlot(LocalModel initial, Func<string, LocalModel> load, Func<string, string>? nameOf = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(load);
        _load = load;
        _nameOf = nameOf ?? (path => Path.GetFileNameWithoutExtension(path));
        _current = new Loaded(initial, _nameOf(initial.FilePath));
        _loaded.Add(_current);
    }

    /// <summary>Raised once another model is in use (inside the switch, so switches are reported in order).</summary>
    public event EventHandler? Switched;

    /// <summary>The model new replies use.</summary>
    public LocalModel Current
    {
        get
        {
            lock (_gate)
            {
                return _current.Model;
            }
        }
    }

    /// <summary>The name of the model new replies use (see <see cref="ModelLease.Name"/>).</summary>
    public string CurrentName
    {
        get
        {
            lock (_gate)
            {
                return _current.Name;
            }
        }
    }

    /// <summary>
    /// A lease on the model in use; or, with <paramref name="filePath"/>, on the loaded model of that file while
    /// one is still loaded (the model a request picked, which a switch since may have replaced), else the one in use.
    /// </summary>
    public ModelLease Rent(string? filePath = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = filePath is null ? _current : _loaded.FirstOrDefault(e => SameFile(e.Model.FilePath, filePath)) ?? _current;
            return LeaseOf(entry);
        }
    }

    /// <summary>A lease on the model of <paramref name="path"/>, which is put in use first (loaded, unless it is loaded already).</summary>
    public async Task<ModelLease> RentAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (TryRentCurrent(path) is { } inUse)
        {
            return inUse;
        }

        await _switching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryRentCurrent(path) is { } switchedMeanwhile)
            {
                return switchedMeanwhile;
            }

            Loaded? next;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                // A model that replies still hold is put back in use as it is: no second copy of its weights.
                next = _loaded.FirstOrDefault(e => SameFile(e.Model.FilePath, path));
                if (next is not null)
                {
                    next.Holds++;
                }
            }

            if (next is null)
            {
                var name = _nameOf(path);
                next = new Loaded(await Task.Run(() => _load(path), cancellationToken).ConfigureAwait(false), name);
                lock (_gate)
                {
                    _loaded.Add(next);
                }
            }

            ModelLease? lease = null;
            Loaded old = next;
            lock (_gate)
            {
                // The hold taken above (or the new model's first one) becomes the hold of being in use, unless the
                // host stopped meanwhile: then it is let go below.
                if (!_disposed)
                {
                    old = _current;
                    _current = next;
                    lease = LeaseOf(next);
                }
            }

            Release(old);
            ObjectDisposedException.ThrowIf(lease is null, this);
            Switched?.Invoke(this, EventArgs.Empty);
            return lease;
        }
        finally
        {
            _switching.Release();
        }
    }

    /// <summary>Lets the model in use go; it is freed now, or when the last reply that holds it ends.</summary>
    public void Dispose()
    {
        Loaded current;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            current = _current;
        }

        Release(current);
    }

    private ModelLease? TryRentCurrent(string path)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return SameFile(_current.Model.FilePath, path) ? LeaseOf(_current) : null;
        }
    }

    // Under _gate.
    private ModelLease LeaseOf(Loaded entry)
    {
        entry.Holds++;
        return new ModelLease(entry.Model, entry.Name, () => Release(entry));
    }

    private void Release(Loaded entry)
    {
        lock (_gate)
        {
            if (--entry.Holds > 0)
            {
                return;
            }

            _loaded.Remove(entry);
        }

        entry.Model.Dispose();
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>A loaded model and how many holds it has: being in use counts as one, each lease as one.</summary>
    private sealed class Loaded(LocalModel model, string name)
    {
        public LocalModel Model { get; } = model;

        public string Name { get; } = name;

        public int Holds { get; set; } = 1;
    }
}
