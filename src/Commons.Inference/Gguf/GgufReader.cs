using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Commons.Abstractions.Hosting;

namespace Commons.Inference.Gguf;

/// <summary>
/// Reads and checks the header of a GGUF model file before llama.cpp sees it: llama.cpp's own
/// errors on a foreign or damaged file are unclear and may abort the process. Only the header is
/// read (big arrays such as the vocabulary are skipped by seeking), so a large file takes milliseconds.
/// </summary>
public static class GgufReader
{
    /// <summary>String arrays shorter than this are kept in the metadata; longer ones are summarised.</summary>
    public const int MaxKeptStringArrayLength = 64;

    private const uint DefaultAlignment = 32;
    private const int BufferSize = 64 * 1024;
    private const int MaxDimensions = 4;
    private const int MaxArrayNesting = 8;

    // No real key or tensor name comes near these; a larger length means a damaged header, and
    // the caps keep a damaged length from turning into a huge allocation.
    private const long MaxKeyBytes = 64 * 1024;
    private const long MaxTensorNameBytes = 64 * 1024;
    private const long MaxValueStringBytes = 16 * 1024 * 1024;

    // The fewest bytes a metadata entry (key length, type, one-byte value) and a tensor info
    // (name length, n_dims, type, offset) can take: a count beyond what the file can hold is absurd.
    private const long MinMetadataEntryBytes = 8 + 4 + 1;
    private const long MinTensorInfoBytes = 8 + 4 + 4 + 8;

    private const string ArchitectureKey = "general.architecture";
    private const string NameKey = "general.name";
    private const string AlignmentKey = "general.alignment";
    private const string ChatTemplateKey = "tokenizer.chat_template";
    private const string ContextLengthSuffix = ".context_length";

    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>
    /// Reads a GGUF file's header and checks that the file holds all its tensor data. A missing,
    /// foreign, truncated or damaged file becomes a <see cref="CommonsException"/> whose message names it.
    /// </summary>
    public static GgufModelInfo Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);

        if (Directory.Exists(fullPath))
        {
            throw new CommonsException($"The model path {fullPath} is a folder, not a GGUF model file.");
        }

        if (!File.Exists(fullPath))
        {
            throw new CommonsException($"The model file {fullPath} does not exist.");
        }

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            return new HeaderParser(fullPath, stream, reader).Parse();
        }
        catch (EndOfStreamException ex)
        {
            throw new CommonsException(
                $"The model file {fullPath} is truncated: its header runs past the end of the file; download it again.", ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CommonsException($"The model file {fullPath} does not exist.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CommonsException($"The model file {fullPath} cannot be read: permission denied.", ex);
        }
        catch (IOException ex)
        {
            throw new CommonsException($"The model file {fullPath} cannot be read ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One pass over one file's header; holds the stream so helpers can check what is left.</summary>
    private sealed class HeaderParser(string path, FileStream stream, BinaryReader reader)
    {
        private readonly long _length = stream.Length;

        private long Remaining => _length - stream.Position;

        public GgufModelInfo Parse()
        {
            if (_length == 0)
            {
                throw new CommonsException($"The model file {path} is empty.");
            }

            CheckMagic();
            var version = ReadVersion();

            var tensorCount = reader.ReadUInt64();
            var metadataCount = reader.ReadUInt64();
            if (metadataCount > (ulong)(Remaining / MinMetadataEntryBytes))
            {
                throw Overrun(Invariant($"its header declares {metadataCount} metadata entries, more than its {_length} bytes can hold"));
            }

            var metadata = new Dictionary<string, object>((int)Math.Min(metadataCount, 256), StringComparer.Ordinal);
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = ReadString(MaxKeyBytes, "a metadata key");
                var type = reader.ReadUInt32();
                var value = ReadValue(type, key, depth: 0);
                if (!metadata.TryAdd(key, value))
                {
                    throw Damaged($"the metadata key {key} appears twice");
                }
            }

            if (tensorCount > (ulong)(Remaining / MinTensorInfoBytes))
            {
                throw Overrun(Invariant($"its header declares {tensorCount} tensors, more than its {_length} bytes can hold"));
            }

            var alignment = ReadAlignment(metadata);
            var elementsByType = new Dictionary<uint, long>();
            var (headerEnd, dataOffset, dataEnd) = ReadTensorInfos((long)tensorCount, alignment, elementsByType);
            if (dataEnd > _length)
            {
                throw new CommonsException(Invariant(
                    $"The model file {path} is truncated: it has {_length} bytes but its tensors need {dataEnd}; download it again."));
            }

            var architecture = metadata.GetValueOrDefault(ArchitectureKey) as string;
            return new GgufModelInfo(
                path,
                _length,
                version,
                (long)tensorCount,
                metadata.AsReadOnly(),
                architecture,
                metadata.GetValueOrDefault(NameKey) as string,
                metadata.GetValueOrDefault(ChatTemplateKey) as string,
                architecture is null ? null : AsInt64(metadata.GetValueOrDefault(architecture + ContextLengthSuffix)),
                alignment,
                tensorCount == 0 ? headerEnd : dataOffset,
                dataEnd,
                elementsByType.AsReadOnly());
        }

        private void CheckMagic()
        {
            Span<byte> magic = stackalloc byte[4];
            var read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            if (!magic[..read].SequenceEqual(Magic[..read]))
            {
                throw new CommonsException($"{path} is not a GGUF model file.");
            }

            if (read < magic.Length)
            {
                throw new EndOfStreamException();
            }
        }

        private uint ReadVersion()
        {
            var version = reader.ReadUInt32();
            if (version is 2 or 3)
            {
                return version;
            }

            if (BinaryPrimitives.ReverseEndianness(version) is 2 or 3)
            {
                throw new CommonsException($"The model file {path} is a big-endian GGUF file, which this machine cannot load; download the little-endian version.");
            }

            throw new CommonsException(Invariant(
                $"The model file {path} uses GGUF version {version}, which is not supported (only versions 2 and 3 are); download a current version of the model."));
        }

        private object ReadValue(uint type, string key, int depth) => (GgufValueType)type switch
        {
            GgufValueType.UInt8 => reader.ReadByte(),
            GgufValueType.Int8 => reader.ReadSByte(),
            GgufValueType.UInt16 => reader.ReadUInt16(),
            GgufValueType.Int16 => reader.ReadInt16(),
            GgufValueType.UInt32 => reader.ReadUInt32(),
            GgufValueType.Int32 => reader.ReadInt32(),
            GgufValueType.Float32 => reader.ReadSingle(),
            GgufValueType.Bool => reader.ReadByte() != 0,
            GgufValueType.String => ReadString(MaxValueStringBytes, Invariant($"the value of {key}")),
            GgufValueType.Array => ReadArray(key, depth),
            GgufValueType.UInt64 => reader.ReadUInt64(),
            GgufValueType.Int64 => reader.ReadInt64(),
            GgufValueType.Float64 => reader.ReadDouble(),
            _ => throw Damaged(Invariant($"the metadata key {key} has a value of unknown type {type}")),
        };

        private object ReadArray(string key, int depth)
        {
            var (elementType, count) = ReadArrayHeader(key, depth);
            if (elementType == GgufValueType.String && count < MaxKeptStringArrayLength)
            {
                var items = new string[count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ReadString(MaxValueStringBytes, Invariant($"an item of {key}"));
                }

                return items;
            }

            SkipElements(elementType, count, key, depth);
            return new GgufArraySummary(elementType, count);
        }

        private (GgufValueType ElementType, long Count) ReadArrayHeader(string key, int depth)
        {
            if (depth >= MaxArrayNesting)
            {
                throw Damaged(Invariant($"the metadata key {key} nests arrays more than {MaxArrayNesting} deep"));
            }

            var rawType = reader.ReadUInt32();
            var count = reader.ReadUInt64();
            var elementSize = MinElementBytes(rawType)
                ?? throw Damaged(Invariant($"the metadata key {key} holds an array of unknown type {rawType}"));
            if (count > (ulong)(Remaining / elementSize))
            {
                throw Overrun(Invariant($"the array {key} declares {count} items, more than the rest of the file can hold"));
            }

            return ((GgufValueType)rawType, (long)count);
        }

        private void SkipElements(GgufValueType elementType, long count, string key, int depth)
        {
            switch (elementType)
            {
                case GgufValueType.String:
                    for (long i = 0; i < count; i++)
                    {
                        var length = reader.ReadUInt64();
                        if (length > (ulong)Remaining)
                        {
                            throw Overrun(Invariant($"an item of {key} runs past the end of the file"));
                        }

                        stream.Seek((long)length, SeekOrigin.Current);
                    }

                    break;
                case GgufValueType.Array:
                    for (long i = 0; i < count; i++)
                    {
                        var (innerType, innerCount) = ReadArrayHeader(key, depth + 1);
                        SkipElements(innerType, innerCount, key, depth + 1);
                    }

                    break;
                default:
                    // Fixed-size elements: ReadArrayHeader has checked that they fit in the file.
                    stream.Seek(count * MinElementBytes((uint)elementType)!.Value, SeekOrigin.Current);
                    break;
            }
        }

        private string ReadString(long maxBytes, string what) =>
            Encoding.UTF8.GetString(reader.ReadBytes(ReadStringLength(maxBytes, what)));

        private void SkipString(long maxBytes, string what) =>
            stream.Seek(ReadStringLength(maxBytes, what), SeekOrigin.Current);

        private int ReadStringLength(long maxBytes, string what)
        {
            var length = reader.ReadUInt64();
            if (length > (ulong)Remaining)
            {
                throw Overrun(Invariant($"{what} runs past the end of the file"));
            }

            if (length > (ulong)maxBytes)
            {
                throw Damaged(Invariant($"{what} claims to be {length} bytes long"));
            }

            return (int)length;
        }

        private long ReadAlignment(Dictionary<string, object> metadata)
        {
            if (!metadata.TryGetValue(AlignmentKey, out var value))
            {
                return DefaultAlignment;
            }

            var alignment = AsInt64(value);
            if (alignment is not > 0 || !long.IsPow2(alignment.Value))
            {
                throw Damaged(Invariant($"its {AlignmentKey} is {value}, not a power of two"));
            }

            return alignment.Value;
        }

        /// <summary>Reads every tensor info and works out where tensor data starts and ends.</summary>
        private (long HeaderEnd, long DataOffset, long DataEnd) ReadTensorInfos(long tensorCount, long alignment, Dictionary<uint, long> elementsByType)
        {
            // Where the data of the furthest tensor ends, relative to the start of tensor data.
            long furthestEnd = 0;
            Span<long> dims = stackalloc long[MaxDimensions];
            for (long i = 0; i < tensorCount; i++)
            {
                var what = Invariant($"the name of tensor {i}");
                SkipString(MaxTensorNameBytes, what);
                var dimensionCount = reader.ReadUInt32();
                if (dimensionCount > MaxDimensions)
                {
                    throw Damaged(Invariant($"tensor {i} claims {dimensionCount} dimensions"));
                }

                for (var d = 0; d < dimensionCount; d++)
                {
                    var dim = reader.ReadUInt64();
                    if (dim > long.MaxValue)
                    {
                        throw Damaged(Invariant($"tensor {i} has an impossible dimension {dim}"));
                    }

                    dims[d] = (long)dim;
                }

                var ggmlType = reader.ReadUInt32();
                var offset = reader.ReadUInt64();
                if (offset > long.MaxValue)
                {
                    throw Damaged(Invariant($"tensor {i} has an impossible offset {offset}"));
                }

                // A type this table does not know is left to llama.cpp: the tensor still ends no
                // earlier than it starts, but its size is not checked.
                var size = TensorBytes(dims[..(int)dimensionCount], ggmlType, i) ?? 0;
                furthestEnd = Math.Max(furthestEnd, CheckedAdd((long)offset, size, i));
                var elements = 1L;
                foreach (var dim in dims[..(int)dimensionCount])
                {
                    elements = CheckedMultiply(elements, dim, i);
                }

                elementsByType[ggmlType] = CheckedAdd(elementsByType.GetValueOrDefault(ggmlType), elements, i);
            }

            var headerEnd = stream.Position;
            var dataOffset = CheckedAdd(headerEnd, (alignment - (headerEnd % alignment)) % alignment, tensorCount);
            var dataEnd = tensorCount == 0 ? headerEnd : CheckedAdd(dataOffset, furthestEnd, tensorCount);
            return (headerEnd, dataOffset, dataEnd);
        }

        /// <summary>The bytes one tensor's data takes, or null when its ggml type is not known here.</summary>
        private long? TensorBytes(ReadOnlySpan<long> dims, uint ggmlType, long index)
        {
            if (!GgmlTypeSizes.TryGet(ggmlType, out var blockSize, out var typeSize))
            {
                return null;
            }

            var rowLength = dims.IsEmpty ? 1 : dims[0];
            if (rowLength % blockSize != 0)
            {
                throw Damaged(Invariant($"tensor {index} has rows of {rowLength} values, not a multiple of its type's block of {blockSize}"));
            }

            try
            {
                long rows = 1;
                for (var d = 1; d < dims.Length; d++)
                {
                    rows = checked(rows * dims[d]);
                }

                return checked(rows * (rowLength / blockSize) * typeSize);
            }
            catch (OverflowException ex)
            {
                throw Damaged(Invariant($"tensor {index} has impossibly large dimensions"), ex);
            }
        }

        private long CheckedAdd(long a, long b, long tensorIndex)
        {
            try
            {
                return checked(a + b);
            }
            catch (OverflowException ex)
            {
                throw Damaged(Invariant($"tensor {tensorIndex} lies beyond any possible file size"), ex);
            }
        }

        private long CheckedMultiply(long a, long b, long tensorIndex)
        {
            try
            {
                return checked(a * b);
            }
            catch (OverflowException ex)
            {
                throw Damaged(Invariant($"tensor {tensorIndex} has impossibly large dimensions"), ex);
            }
        }

        /// <summary>Bytes of one array element, or its least size for strings and arrays; null for an unknown type.</summary>
        private static long? MinElementBytes(uint type) => (GgufValueType)type switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
            GgufValueType.String => 8,
            GgufValueType.Array => 4 + 8,
            _ => null,
        };

        private static long? AsInt64(object? value) => value switch
        {
            byte v => v,
            sbyte v => v,
            ushort v => v,
            short v => v,
            uint v => v,
            int v => v,
            ulong v when v <= long.MaxValue => (long)v,
            long v => v,
            _ => null,
        };

        private CommonsException Overrun(string detail) =>
            new($"The model file {path} is truncated or damaged: {detail}; download it again.");

        private CommonsException Damaged(string detail, Exception? inner = null) => inner is null
            ? new($"The model file {path} is damaged: {detail}; download it again.")
            : new($"The model file {path} is damaged: {detail}; download it again.", inner);
    }
}
