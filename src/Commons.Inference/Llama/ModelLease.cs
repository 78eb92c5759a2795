namespace Commons.Inference.Llama;

/// <summary>
/// One reply's hold on a loaded model: the model stays loaded until its last lease ends, even when another
/// model has been put in use meanwhile. Dispose it when the reply is done.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private readonly Action _release;
    private int _released;

    internal ModelLease(LocalModel model, string name, Action release)
    {
        Model = model;
        Name = name;
        _release = release;
    }

    /// <summary>The model this reply is written with.</summary>
    public LocalModel Model { get; }

    /// <summary>The model's installed name (<c>commons model list</c>), or its file's name when it was given as a path.</summary>
    public string Name { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _release();
        }
    }
}
