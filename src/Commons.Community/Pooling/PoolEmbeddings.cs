using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Commons.Community.Pooling;

/// <summary>
/// The silo's sentence embeddings (all-MiniLM-L6-v2 by default), unit length so that cosine is a dot
/// product, each distinct text embedded once. One batch at a time: the model is CPU-bound and the
/// silo also serves requests.
/// </summary>
public sealed class PoolEmbeddings : IDisposable
{
    private const int MaxCached = 200_000;
    private readonly Lazy<IEmbeddingGenerator<string, Embedding<float>>> _generator;
    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _embedded;

    public PoolEmbeddings(Func<IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _generator = new Lazy<IEmbeddingGenerator<string, Embedding<float>>>(factory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many texts this silo has given the model so far (what a restart would cost again without recorded placements).</summary>
    public long EmbeddedTexts => Interlocked.Read(ref _embedded);

    /// <summary>Unit vectors for the texts, in order.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        var missing = new List<string>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_cache.TryGetValue(texts[i], out var cached))
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(texts[i]);
            }
        }

        if (missing.Count > 0)
        {
            var distinct = missing.Distinct(StringComparer.Ordinal).ToList();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Loading the model takes a second or two: keep it off the caller's (grain) thread.
                var generator = _generator.IsValueCreated ? _generator.Value : await Task.Run(() => _generator.Value, cancellationToken).ConfigureAwait(false);
                var generated = await generator.GenerateAsync(distinct, cancellationToken: cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _embedded, distinct.Count);
                if (_cache.Count > MaxCached)
                {
                    _cache.Clear();
                }

                for (var i = 0; i < distinct.Count; i++)
                {
                    _cache[distinct[i]] = Normalise(generated[i].Vector.ToArray());
                }
            }
            finally
            {
                _gate.Release();
            }

            for (var i = 0; i < texts.Count; i++)
            {
                result[i] ??= _cache[texts[i]];
            }
        }

        return result;
    }

    public async Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default) =>
        (await EmbedAsync([text], cancellationToken).ConfigureAwait(false))[0];

    public static double Cosine(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
    }

    public void Dispose()
    {
        if (_generator.IsValueCreated)
        {
            _generator.Value.Dispose();
        }

        _gate.Dispose();
    }

    private static float[] Normalise(float[] vector)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }
}
