using Commons.Inference.Llama;

namespace Commons.Inference.Models;

/// <summary>
/// Which local model a running host answers with, chosen by name among the installed models (<c>commons model
/// list</c>): the one rule behind the API's <c>model</c> field and the page's model choice.
/// </summary>
public sealed class ModelChoice(ModelStore store, ModelSlot slot)
{
    /// <summary>The name of the model in use: its installed name, or its file's name when it was given as a path.</summary>
    public string Current => NameOf(slot.Current);

    /// <summary>The models that can be chosen: the installed ones, and the one in use.</summary>
    public IReadOnlyList<string> Names()
    {
        var names = store.List().Select(m => m.Name).ToList();
        if (!names.Contains(Current, StringComparer.Ordinal))
        {
            names.Add(Current);
        }

        return [.. names.Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Whether <paramref name="name"/> names the model in use (by its installed name or its file's).</summary>
    // The file's name first: the installed name needs a look at the models folder, which every API request would pay.
    public bool IsCurrent(string name) => name == slot.Current.Name || name == Current;

    /// <summary>Puts the installed model <paramref name="name"/> in use, loading it when another one is; returns its name.</summary>
    /// <exception cref="ModelNotInstalledException">No installed model has that name.</exception>
    public async Task<string> UseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsCurrent(name))
        {
            return Current;
        }

        var path = store.Resolve(name) ?? throw new ModelNotInstalledException(name, Names());
        return NameOf(await slot.SwitchAsync(path, cancellationToken).ConfigureAwait(false));
    }

    private string NameOf(LocalModel model) =>
        store.List().FirstOrDefault(m => string.Equals(Path.GetFullPath(m.FilePath), Path.GetFullPath(model.FilePath), StringComparison.Ordinal))?.Name
        ?? model.Name;
}
