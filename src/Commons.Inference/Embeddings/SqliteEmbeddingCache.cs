using System.Runtime.InteropServices;
using Commons.Abstractions.Hosting;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Embeddings;

/// <summary>
/// Embeds each distinct text once: a decorator that keeps vectors in a SQLite table keyed by the
/// sha256 of the model id and the text, with an in-memory layer in front. Only the texts not seen
/// before reach the inner generator, in one batch.
/// </summary>
public sealed class SqliteEmbeddingCache : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;
    private readonly string _connectionString;
    private readonly string _modelId;
    private readonly Dictionary<string, float[]> _memory = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SqliteEmbeddingCache(IEmbeddingGenerator<string, Embedding<float>> inner, string databasePath)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _modelId = inner.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown";
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        DataFolderPrivacy.CreatePrivateFile(databasePath);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS EmbeddingCache (
                Key    BLOB NOT NULL PRIMARY KEY,
                Model  TEXT NOT NULL,
                Vector BLOB NOT NULL
            ) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var vectors = new float[]?[texts.Length];
        var missing = new List<int>();
        lock (_gate)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                vectors[i] = _memory.GetValueOrDefault(texts[i]);
            }
        }

        var unknown = Enumerable.Range(0, texts.Length).Where(i => vectors[i] is null).ToList();
        if (unknown.Count > 0)
        {
            LoadFromDisk(texts, vectors, unknown);
            missing.AddRange(unknown.Where(i => vectors[i] is null));
        }

        if (missing.Count > 0)
        {
            var distinct = missing.Select(i => texts[i]).Distinct(StringComparer.Ordinal).ToArray();
            var generated = await _inner.GenerateAsync(distinct, options, cancellationToken).ConfigureAwait(false);
            var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var i = 0; i < distinct.Length; i++)
            {
                byText[distinct[i]] = generated[i].Vector.ToArray();
            }

            Save(byText);
            foreach (var i in missing)
            {
                vectors[i] = byText[texts[i]];
            }
        }

        lock (_gate)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                _memory[texts[i]] = vectors[i]!;
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        result.AddRange(vectors.Select(v => new Embedding<float>(v!) { ModelId = _modelId }));
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(SqliteEmbeddingCache) ? this : _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();

    private void LoadFromDisk(string[] texts, float[]?[] vectors, List<int> indexes)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Vector FROM EmbeddingCache WHERE Key = $key";
        var key = command.Parameters.Add("$key", SqliteType.Blob);
        foreach (var i in indexes)
        {
            key.Value = Key(texts[i]);
            if (command.ExecuteScalar() is byte[] blob)
            {
                vectors[i] = MemoryMarshal.Cast<byte, float>(blob).ToArray();
            }
        }
    }

    private void Save(Dictionary<string, float[]> vectors)
    {
        using var connection = Open();
        using (var pragma = connection.CreateCommand())
        {
            // A cache: losing its last entries to a power cut costs a re-embedding, never data.
            pragma.CommandText = "PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO EmbeddingCache (Key, Model, Vector) VALUES ($key, $model, $vector)";
        var key = command.Parameters.Add("$key", SqliteType.Blob);
        command.Parameters.AddWithValue("$model", _modelId);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var (text, values) in vectors)
        {
            key.Value = Key(text);
            vector.Value = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private byte[] Key(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(_modelId + "\n" + text));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
