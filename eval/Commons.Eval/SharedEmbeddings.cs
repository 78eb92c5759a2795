using Microsoft.Extensions.AI;

namespace Commons.Eval;

/// <summary>
/// The run's embedding model lent to one arm's silo: disposing this does not dispose the model,
/// which the next arm still needs.
/// </summary>
public sealed class SharedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.GenerateAsync(values, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The model belongs to the run, not to the arm.
    }
}
