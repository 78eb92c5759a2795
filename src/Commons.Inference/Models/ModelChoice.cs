using Commons.Inference.Llama;

namespace Commons.Inference.Models;

/// <summary>
/// Which local model a running host answers with, chosen by name among the installed models (<c>commons model
/// list</c>): the one rule behind the API's <c>model</c> field and the page's model choice.
/// </summary>
public sealed class ModelChoice(ModelStore store, ModelSlot slot, TimeProvider? time = null)
{
    /// <summary>How long a look at the models folder is reused: models installed or removed by another command show within this.</summary>
    public static readonly TimeSpan ListingLifetime = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private (IReadOnlyList<string> Names, DateTimeOffset Until)? _installed;

    /// <summary>The name of the model in use: its installed name, or its file's name when it was given as a path.</summary>
    public string Current => slot.CurrentName;

    /// <summary>The models that can be chosen: the installed ones, and the one in use.</summary>
    public IReadOnlyList<string> Names()
    {
        var names = Installed().ToList();
        var current = Current;
        if (!names.Contains(current, StringComparer.Ordinal))
        {
            names.Add(current);
        }

        return [.. names.Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// A lease on the model <paramref name="name"/> (the one in use when it is blank), put in use first when another
    /// one is: generate with its <see cref="ModelLease.Model"/>, name the reply after its <see cref="ModelLease.Name"/>.
    /// </summary>
    /// <exception cref="ModelNotInstalledException">No installed model has that name.</exception>
    public async Task<ModelLease> RentAsync(string? name, CancellationToken cancellationToken = default)
    {
        var lease = slot.Rent();
        if (string.IsNullOrWhiteSpace(name) || Names(lease, name))
        {
            return lease;
        }

        lease.Dispose();
        var path = store.Resolve(name) ?? throw new ModelNotInstalledException(name, Names());
        return await slot.RentAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the installed model <paramref name="name"/> in use, loading it when another one is; returns its name.</summary>
    /// <exception cref="ModelNotInstalledException">No installed model has that name.</exception>
    public async Task<string> UseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var lease = await RentAsync(name, cancellationToken).ConfigureAwait(false);
        return lease.Name;
    }

    // By its installed name or its file's.
    private static bool Names(ModelLease lease, string name) => name == lease.Model.Name || name == lease.Name;

    // Every request of the API and the page asks; the folder is looked at once per ListingLifetime.
    private IReadOnlyList<string> Installed()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_installed is { } cached && now < cached.Until)
            {
                return cached.Names;
            }
        }

        var names = store.List().Select(m => m.Name).ToList();
        lock (_gate)
        {
            _installed = (names, now + ListingLifetime);
        }

        return names;
    }
}
