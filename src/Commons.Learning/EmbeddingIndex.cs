using System.Numerics.Tensors;

namespace Commons.Learning;

/// <summary>
/// Unit-length vectors held in one contiguous block, so a query scores every entry with one
/// SIMD dot product each. Removal swaps the last row in.
/// </summary>
public sealed class EmbeddingIndex
{
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private float[] _vectors;

    public EmbeddingIndex(int dimensions, int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        _vectors = new float[dimensions * Math.Max(1, capacity)];
    }

    public int Dimensions { get; }

    public int Count => _ids.Count;

    public bool Contains(string id) => _rows.ContainsKey(id);

    /// <summary>Adds or replaces the vector of <paramref name="id"/>; it is normalised to unit length.</summary>
    public void Set(string id, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Expected {Dimensions} dimensions, got {vector.Length}.", nameof(vector));
        }

        if (!_rows.TryGetValue(id, out var row))
        {
            row = _ids.Count;
            if ((row + 1) * Dimensions > _vectors.Length)
            {
                Array.Resize(ref _vectors, _vectors.Length * 2);
            }

            _ids.Add(id);
            _rows[id] = row;
        }

        var target = _vectors.AsSpan(row * Dimensions, Dimensions);
        vector.CopyTo(target);
        var norm = TensorPrimitives.Norm(target);
        if (norm > 0)
        {
            TensorPrimitives.Divide(target, norm, target);
        }
    }

    public ReadOnlySpan<float> Get(string id) => _vectors.AsSpan(_rows[id] * Dimensions, Dimensions);

    public void Remove(string id)
    {
        if (!_rows.Remove(id, out var row))
        {
            return;
        }

        var last = _ids.Count - 1;
        if (row != last)
        {
            _vectors.AsSpan(last * Dimensions, Dimensions).CopyTo(_vectors.AsSpan(row * Dimensions, Dimensions));
            _ids[row] = _ids[last];
            _rows[_ids[row]] = row;
        }

        _ids.RemoveAt(last);
    }

    /// <summary>Cosine similarity of two vectors (not necessarily unit length).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);

    /// <summary>
    /// The <paramref name="count"/> most similar ids with similarity at least <paramref name="minimum"/>
    /// that pass <paramref name="filter"/>, most similar first.
    /// </summary>
    public List<(string Id, double Similarity)> Nearest(ReadOnlySpan<float> query, int count, double minimum, Func<string, bool>? filter = null)
    {
        var result = new List<(string Id, double Similarity)>(Math.Min(count, 64));
        if (count <= 0 || _ids.Count == 0)
        {
            return result;
        }

        var norm = TensorPrimitives.Norm(query);
        if (norm == 0)
        {
            return result;
        }

        // A min-heap of the best so far keeps this O(n log k).
        var best = new PriorityQueue<string, double>(count + 1);
        for (var row = 0; row < _ids.Count; row++)
        {
            var similarity = TensorPrimitives.Dot(query, _vectors.AsSpan(row * Dimensions, Dimensions)) / norm;
            if (similarity < minimum)
            {
                continue;
            }

            if (best.Count == count && best.TryPeek(out _, out var worst) && similarity <= worst)
            {
                continue;
            }

            var id = _ids[row];
            if (filter is not null && !filter(id))
            {
                continue;
            }

            best.Enqueue(id, similarity);
            if (best.Count > count)
            {
                best.Dequeue();
            }
        }

        while (best.TryDequeue(out var id, out var similarity))
        {
            result.Add((id, similarity));
        }

        result.Reverse();
        return result;
    }
}
