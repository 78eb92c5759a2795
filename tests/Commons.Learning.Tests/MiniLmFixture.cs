using Commons.Inference.Embeddings;
using Microsoft.Extensions.AI;

namespace Commons.Learning.Tests;

/// <summary>One MiniLM model for the whole test collection (it takes about a second to load).</summary>
public sealed class MiniLmFixture : IDisposable
{
    private readonly Dictionary<string, float[]> _cache = new(StringComparer.Ordinal);

    public MiniLmGenerator Generator { get; } = new();

    public float[] Embed(string text)
    {
        if (!_cache.TryGetValue(text, out var vector))
        {
            vector = Generator.Inner.GenerateAsync([text]).GetAwaiter().GetResult()[0].Vector.ToArray();
            _cache[text] = vector;
        }

        return vector;
    }

    public void EmbedAll(IEnumerable<string> texts)
    {
        var missing = texts.Where(t => !_cache.ContainsKey(t)).Distinct().ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        var vectors = Generator.Inner.GenerateAsync(missing).GetAwaiter().GetResult();
        for (var i = 0; i < missing.Length; i++)
        {
            _cache[missing[i]] = vectors[i].Vector.ToArray();
        }
    }

    public void Dispose() => Generator.Dispose();

    /// <summary>Holder so the fixture owns exactly one generator.</summary>
    public sealed class MiniLmGenerator : IDisposable
    {
        public MiniLmEmbeddingGenerator Inner { get; } = new();

        public void Dispose() => Inner.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
