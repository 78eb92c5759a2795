using System.Text;
using Commons.Inference.Gguf;

namespace Commons.Inference.Tests.Gguf;

/// <summary>
/// Writes small GGUF files byte by byte, the way the format specification lays them out, so tests
/// can check the reader against known content and against deliberately broken headers.
/// </summary>
internal sealed class GgufFileBuilder
{
    public const uint F32 = 0;
    public const uint Q4_0 = 2;
    public const uint Q4_K = 12;

    private readonly List<Action<BinaryWriter>> _entries = [];
    private readonly List<(string Name, ulong[] Dims, uint Type, long Bytes)> _tensors = [];

    public uint Version { get; init; } = 3;

    public int Alignment { get; init; } = 32;

    /// <summary>Replaces the metadata count written in the header, to fake a damaged file.</summary>
    public ulong? MetadataCountOverride { get; init; }

    /// <summary>Replaces the tensor count written in the header, to fake a damaged file.</summary>
    public ulong? TensorCountOverride { get; init; }

    /// <summary>Writes the header fields big-endian, as a big-endian GGUF file would.</summary>
    public bool BigEndianHeader { get; init; }

    public GgufFileBuilder Add(string key, GgufValueType type, Action<BinaryWriter> writeValue)
    {
        _entries.Add(w =>
        {
            WriteString(w, key);
            w.Write((uint)type);
            writeValue(w);
        });
        return this;
    }

    public GgufFileBuilder AddString(string key, string value) => Add(key, GgufValueType.String, w => WriteString(w, value));

    public GgufFileBuilder AddUInt32(string key, uint value) => Add(key, GgufValueType.UInt32, w => w.Write(value));

    public GgufFileBuilder AddStringArray(string key, IReadOnlyList<string> values) => Add(key, GgufValueType.Array, w =>
    {
        w.Write((uint)GgufValueType.String);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            WriteString(w, value);
        }
    });

    public GgufFileBuilder AddInt32Array(string key, IReadOnlyList<int> values) => Add(key, GgufValueType.Array, w =>
    {
        w.Write((uint)GgufValueType.Int32);
        w.Write((ulong)values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    /// <summary>Writes a metadata entry from raw bytes: key and everything after it.</summary>
    public GgufFileBuilder AddRaw(Action<BinaryWriter> writeEntry)
    {
        _entries.Add(writeEntry);
        return this;
    }

    /// <summary>Adds a tensor whose data takes <paramref name="bytes"/> zero bytes in the file.</summary>
    public GgufFileBuilder AddTensor(string name, uint ggmlType, ulong[] dims, long bytes)
    {
        _tensors.Add((name, dims, ggmlType, bytes));
        return this;
    }

    /// <summary>Where the tensor data starts in the file <see cref="Build"/> writes.</summary>
    public long DataOffset { get; private set; }

    public byte[] Build()
    {
        using var memory = new MemoryStream();
        using var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        WriteHeaderNumber(w, Version);
        WriteHeaderNumber(w, TensorCountOverride ?? (ulong)_tensors.Count);
        WriteHeaderNumber(w, MetadataCountOverride ?? (ulong)_entries.Count);
        foreach (var entry in _entries)
        {
            entry(w);
        }

        long offset = 0;
        var offsets = new List<long>();
        foreach (var (name, dims, type, bytes) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var dim in dims)
            {
                w.Write(dim);
            }

            w.Write(type);
            w.Write((ulong)offset);
            offsets.Add(offset);
            offset = Align(offset + bytes);
        }

        w.Flush();
        DataOffset = Align(memory.Length);
        memory.SetLength(DataOffset);
        if (_tensors.Count > 0)
        {
            memory.SetLength(DataOffset + offsets[^1] + _tensors[^1].Bytes);
        }

        return memory.ToArray();
    }

    public static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private long Align(long position) => (position + Alignment - 1) / Alignment * Alignment;

    private void WriteHeaderNumber(BinaryWriter w, uint value) =>
        w.Write(BigEndianHeader ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value);

    private void WriteHeaderNumber(BinaryWriter w, ulong value) =>
        w.Write(BigEndianHeader ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value);
}
