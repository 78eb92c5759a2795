namespace Commons.Inference.Models;

/// <summary>A model was asked for by a name that no installed model has.</summary>
public sealed class ModelNotInstalledException : Exception
{
    public ModelNotInstalledException(string name, IReadOnlyList<string> installed)
        : base($"The model `{name}` does not exist; the models here are {string.Join(", ", installed)} (see GET /v1/models, or install one with 'commons model pull').")
    {
        Name = name;
    }

    public ModelNotInstalledException()
    {
        Name = "";
    }

    public ModelNotInstalledException(string message)
        : base(message)
    {
        Name = "";
    }

    public ModelNotInstalledException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "";
    }

    /// <summary>The name asked for.</summary>
    public string Name { get; }
}
