using Commons.Inference.Embeddings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tests.Embeddings;

public sealed class SqliteEmbeddingCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-cache-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteEmbeddingCacheTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task GenerateAsync_NewProcessOnSameFile_ReadsBackTheSameDistinctVectors()
    {
        string[] texts = ["who's that song by?\n [music_query]", "wake me up at seven [alarm_set]", "what is the weather like"];
        var path = Path.Combine(_folder, "embeddings.db");
        using var model = new MiniLmEmbeddingGenerator();
        float[][] first;
        using (var cache = new SqliteEmbeddingCache(new Borrowed(model), path))
        {
            first = (await cache.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToArray();
        }

        var counting = new Counting(model);
        using var reopened = new SqliteEmbeddingCache(counting, path);
        var second = (await reopened.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToArray();

        Assert.Equal(0, counting.Calls);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(first[i], second[i]);
        }

        Assert.NotEqual(second[0], second[1]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private class Borrowed(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public virtual Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }

    private sealed class Counting(IEmbeddingGenerator<string, Embedding<float>> inner) : Borrowed(inner)
    {
        public int Calls { get; private set; }

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
