using Microsoft.Extensions.AI;

namespace Commons.Eval;

/// <summary>
/// The run's embedding model lent to one arm's silo: disposing this does not dispose the model,
/// which the next arm still needs.
/// </summary>
public sealed class SharedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Copies, so no caller can change the vectors another holds.
        var generated = await inner.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        var copies = new GeneratedEmbeddings<Embedding<float>>(generated.Count);
        copies.AddRange(generated.Select(e => new Embedding<float>(e.Vector.ToArray()) { ModelId = e.ModelId }));
        return copies;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The model belongs to the run, not to the arm.
    }
}
