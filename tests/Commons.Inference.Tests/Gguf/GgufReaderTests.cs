using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Inference.Gguf;

namespace Commons.Inference.Tests.Gguf;

public sealed class GgufReaderTests : IDisposable
{
    private const string ChatTemplate = "{% for message in messages %}<|{{ message.role }}|>\n{{ message.content }}</s>\n{% endfor %}« é 日本 »";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(TestModels.Stories260K, "llama", 2048L, 48L, 512L)]
    [InlineData(TestModels.TinyRandomLlama, "LLaMA v2", 4096L, 12L, 32000L)]
    public void Read_RealModel_ReadsLlamaMetadataWithoutChatTemplate(
        string fileName, string expectedName, long expectedContext, long expectedTensors, long expectedVocabulary)
    {
        var path = TestModels.PathOf(fileName);

        var info = GgufReader.Read(path);

        Assert.Equal(Path.GetFullPath(path), info.Path);
        Assert.Equal(3u, info.Version);
        Assert.Equal("llama", info.Architecture);
        Assert.Equal(expectedName, info.Name);
        Assert.Equal(expectedContext, info.ContextLength);
        Assert.Equal(expectedTensors, info.TensorCount);
        Assert.Null(info.ChatTemplate);
        Assert.False(info.Metadata.ContainsKey("tokenizer.chat_template"));
        Assert.Equal(new GgufArraySummary(GgufValueType.String, expectedVocabulary), info.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(new GgufArraySummary(GgufValueType.Float32, expectedVocabulary), info.Metadata["tokenizer.ggml.scores"]);
        Assert.Equal("llama", info.Metadata["tokenizer.ggml.model"]);
    }

    [Theory]
    [InlineData(TestModels.Stories260K)]
    [InlineData(TestModels.TinyRandomLlama)]
    public void Read_RealModel_TensorDataEndsAtEndOfFile(string fileName)
    {
        var path = TestModels.PathOf(fileName);

        var info = GgufReader.Read(path);

        Assert.Equal(new FileInfo(path).Length, info.FileSize);
        Assert.Equal(info.FileSize, info.TensorDataEnd);
        Assert.Equal(32, info.Alignment);
        Assert.Equal(0, info.TensorDataOffset % 32);
        Assert.InRange(info.TensorDataOffset, 24, info.TensorDataEnd);
    }

    [Theory]
    [InlineData(TestModels.Stories260K)]
    [InlineData(TestModels.TinyRandomLlama)]
    public void Read_TruncatedCopy_ThrowsTruncatedWithByteCounts(string fileName)
    {
        var original = File.ReadAllBytes(TestModels.PathOf(fileName));
        var cut = original.Length * 9 / 10;
        var path = _temp.Write(fileName, original.AsSpan(0, cut));

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains(Invariant($"is truncated: it has {cut} bytes but its tensors need {original.Length}; download it again."), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(20)]
    [InlineData(1000)]
    [InlineData(14000)]
    public void Read_CopyCutInsideHeader_ThrowsTruncated(int length)
    {
        var original = File.ReadAllBytes(TestModels.PathOf(TestModels.Stories260K));
        var path = _temp.Write("cut.gguf", original.AsSpan(0, length));

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextFile_ThrowsNotGguf()
    {
        var path = _temp.Write("notes.gguf", "This is a text file, not a model.\n"u8);

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal($"{path} is not a GGUF model file.", ex.Message);
    }

    [Fact]
    public void Read_PngFile_ThrowsNotGguf()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01];
        var path = _temp.Write("picture.png", png);

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal($"{path} is not a GGUF model file.", ex.Message);
    }

    [Fact]
    public void Read_OneByteFile_ThrowsNotGguf()
    {
        var path = _temp.Write("x.gguf", "x"u8);

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal($"{path} is not a GGUF model file.", ex.Message);
    }

    [Fact]
    public void Read_EmptyFile_ThrowsEmpty()
    {
        var path = _temp.Write("empty.gguf", []);

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal($"The model file {path} is empty.", ex.Message);
    }

    [Fact]
    public void Read_MissingPath_ThrowsDoesNotExist()
    {
        var path = Path.Combine(_temp.FullPath, "missing.gguf");

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal($"The model file {path} does not exist.", ex.Message);
    }

    [Fact]
    public void Read_DirectoryPath_ThrowsFolder()
    {
        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(_temp.FullPath));

        Assert.Equal($"The model path {_temp.FullPath} is a folder, not a GGUF model file.", ex.Message);
    }

    [Fact]
    public void Read_HandBuiltFile_ReadsMetadataExactly()
    {
        var vocabulary = Enumerable.Range(0, 100).Select(i => "token" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var builder = new GgufFileBuilder()
            .AddString("general.architecture", "testarch")
            .AddString("general.name", "Hand Built")
            .AddUInt32("testarch.context_length", 8192)
            .AddString("tokenizer.chat_template", ChatTemplate)
            .Add("test.u8", GgufValueType.UInt8, w => w.Write((byte)200))
            .Add("test.i8", GgufValueType.Int8, w => w.Write((sbyte)-5))
            .Add("test.u16", GgufValueType.UInt16, w => w.Write((ushort)60000))
            .Add("test.i16", GgufValueType.Int16, w => w.Write((short)-30000))
            .Add("test.i32", GgufValueType.Int32, w => w.Write(-123456))
            .Add("test.f32", GgufValueType.Float32, w => w.Write(1.5f))
            .Add("test.bool", GgufValueType.Bool, w => w.Write((byte)1))
            .Add("test.u64", GgufValueType.UInt64, w => w.Write(ulong.MaxValue))
            .Add("test.i64", GgufValueType.Int64, w => w.Write(long.MinValue))
            .Add("test.f64", GgufValueType.Float64, w => w.Write(-2.25))
            .AddStringArray("test.small_strings", ["a", "", "日本"])
            .AddStringArray("tokenizer.ggml.tokens", vocabulary)
            .AddInt32Array("tokenizer.ggml.token_type", [1, 2, 3])
            .AddTensor("output.weight", GgufFileBuilder.F32, [4, 2], 4 * 2 * sizeof(float));
        var path = _temp.Write("tiny.gguf", builder.Build());

        var info = GgufReader.Read(path);

        Assert.Equal(3u, info.Version);
        Assert.Equal(1, info.TensorCount);
        Assert.Equal("testarch", info.Architecture);
        Assert.Equal("Hand Built", info.Name);
        Assert.Equal(8192, info.ContextLength);
        Assert.Equal(ChatTemplate, info.ChatTemplate);
        Assert.Equal(builder.DataOffset, info.TensorDataOffset);
        Assert.Equal(builder.DataOffset + 32, info.TensorDataEnd);
        Assert.Equal(new FileInfo(path).Length, info.TensorDataEnd);
        Assert.Equal(17, info.Metadata.Count);
        Assert.Equal((byte)200, info.Metadata["test.u8"]);
        Assert.Equal((sbyte)-5, info.Metadata["test.i8"]);
        Assert.Equal((ushort)60000, info.Metadata["test.u16"]);
        Assert.Equal((short)-30000, info.Metadata["test.i16"]);
        Assert.Equal(8192u, info.Metadata["testarch.context_length"]);
        Assert.Equal(-123456, info.Metadata["test.i32"]);
        Assert.Equal(1.5f, info.Metadata["test.f32"]);
        Assert.Equal(true, info.Metadata["test.bool"]);
        Assert.Equal(ulong.MaxValue, info.Metadata["test.u64"]);
        Assert.Equal(long.MinValue, info.Metadata["test.i64"]);
        Assert.Equal(-2.25, info.Metadata["test.f64"]);
        Assert.Equal<IEnumerable<string>>(["a", "", "日本"], Assert.IsAssignableFrom<IReadOnlyList<string>>(info.Metadata["test.small_strings"]));
        Assert.Equal(new GgufArraySummary(GgufValueType.String, 100), info.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(new GgufArraySummary(GgufValueType.Int32, 3), info.Metadata["tokenizer.ggml.token_type"]);
    }

    [Fact]
    public void Read_Version2File_Reads()
    {
        var builder = new GgufFileBuilder { Version = 2 }
            .AddString("general.architecture", "llama")
            .AddTensor("t", GgufFileBuilder.F32, [8], 32);
        var path = _temp.Write("v2.gguf", builder.Build());

        var info = GgufReader.Read(path);

        Assert.Equal(2u, info.Version);
        Assert.Equal("llama", info.Architecture);
        Assert.Null(info.ContextLength);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(4u)]
    public void Read_UnsupportedVersion_ThrowsNamingVersion(uint version)
    {
        var path = _temp.Write("old.gguf", new GgufFileBuilder { Version = version }.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains(Invariant($"uses GGUF version {version}, which is not supported"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BigEndianFile_ThrowsBigEndian()
    {
        var path = _temp.Write("be.gguf", new GgufFileBuilder { BigEndianHeader = true }.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("big-endian", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AbsurdMetadataCount_ThrowsWithoutAllocating()
    {
        var path = _temp.Write("count.gguf", new GgufFileBuilder { MetadataCountOverride = ulong.MaxValue }.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("metadata entries, more than its", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AbsurdTensorCount_Throws()
    {
        var builder = new GgufFileBuilder { TensorCountOverride = 1UL << 40 }.AddString("general.architecture", "llama");
        var path = _temp.Write("tensors.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("1099511627776 tensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AbsurdKeyLength_Throws()
    {
        var builder = new GgufFileBuilder().AddRaw(w =>
        {
            w.Write(ulong.MaxValue);
            w.Write(new byte[64]);
        });
        var path = _temp.Write("key.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("a metadata key runs past the end of the file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AbsurdArrayCount_Throws()
    {
        var builder = new GgufFileBuilder().Add("tokenizer.ggml.scores", GgufValueType.Array, w =>
        {
            w.Write((uint)GgufValueType.Float32);
            w.Write(1UL << 60);
            w.Write(new byte[64]);
        });
        var path = _temp.Write("array.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("the array tokenizer.ggml.scores declares", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownValueType_ThrowsDamaged()
    {
        var builder = new GgufFileBuilder().Add("general.name", (GgufValueType)99, w => w.Write(0UL));
        var path = _temp.Write("type.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("is damaged: the metadata key general.name has a value of unknown type 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_ThrowsDamaged()
    {
        var builder = new GgufFileBuilder().AddString("general.name", "a").AddString("general.name", "b");
        var path = _temp.Write("dup.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("general.name appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HandBuiltFileMissingTensorBytes_ThrowsTruncatedWithByteCounts()
    {
        var builder = new GgufFileBuilder().AddTensor("t", GgufFileBuilder.F32, [16, 4], 16 * 4 * 4);
        var bytes = builder.Build();
        var path = _temp.Write("short.gguf", bytes.AsSpan(0, bytes.Length - 1));

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        Assert.Equal(
            Invariant($"The model file {path} is truncated: it has {bytes.Length - 1} bytes but its tensors need {bytes.Length}; download it again."),
            ex.Message);
    }

    [Theory]
    [InlineData(GgufFileBuilder.Q4_0, 64UL, 2 * 18L)]
    [InlineData(GgufFileBuilder.Q4_K, 512UL, 2 * 144L)]
    public void Read_QuantizedTensor_SizesDataByBlocks(uint ggmlType, ulong rowLength, long expectedBytes)
    {
        var builder = new GgufFileBuilder()
            .AddTensor("a", ggmlType, [rowLength, 3], 3 * expectedBytes)
            .AddTensor("b", ggmlType, [rowLength], expectedBytes);
        var bytes = builder.Build();
        var path = _temp.Write("quant.gguf", bytes);

        var info = GgufReader.Read(path);

        Assert.Equal(bytes.Length, info.TensorDataEnd);
        var cutPath = _temp.Write("quant-cut.gguf", bytes.AsSpan(0, bytes.Length - 1));
        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(cutPath));
        Assert.Contains(Invariant($"its tensors need {bytes.Length}"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RowNotMultipleOfBlock_ThrowsDamaged()
    {
        var builder = new GgufFileBuilder().AddTensor("t", GgufFileBuilder.Q4_0, [33], 18);
        var path = _temp.Write("rows.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("is damaged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownTensorType_SkipsSizeCheckForThatTensor()
    {
        // Type 200 is no ggml type; its tensor is written with no data at all.
        var builder = new GgufFileBuilder()
            .AddTensor("known", GgufFileBuilder.F32, [8], 32)
            .AddTensor("unknown", 200, [1 << 20, 1 << 10], 0);
        var bytes = builder.Build();
        var path = _temp.Write("unknown.gguf", bytes);

        var info = GgufReader.Read(path);

        Assert.Equal(2, info.TensorCount);
        Assert.Equal(bytes.Length, info.TensorDataEnd);
    }

    [Fact]
    public void Read_CustomAlignment_StartsTensorDataOnIt()
    {
        var builder = new GgufFileBuilder { Alignment = 256 }
            .AddUInt32("general.alignment", 256)
            .AddTensor("t", GgufFileBuilder.F32, [8], 32);
        var bytes = builder.Build();
        var path = _temp.Write("aligned.gguf", bytes);

        var info = GgufReader.Read(path);

        Assert.Equal(256, info.Alignment);
        Assert.Equal(256, info.TensorDataOffset);
        Assert.Equal(256 + 32, info.TensorDataEnd);
    }

    [Fact]
    public void Read_AlignmentNotPowerOfTwo_ThrowsDamaged()
    {
        var builder = new GgufFileBuilder().AddUInt32("general.alignment", 48);
        var path = _temp.Write("align.gguf", builder.Build());

        var ex = Assert.Throws<CommonsException>(() => GgufReader.Read(path));

        AssertOneSentenceNaming(ex, path);
        Assert.Contains("general.alignment is 48, not a power of two", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargeVocabulary_KeepsOnlyItsTypeAndCount()
    {
        var vocabulary = Enumerable.Range(0, 150_000).Select(i => "tok" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var builder = new GgufFileBuilder()
            .AddString("general.architecture", "qwen2")
            .AddStringArray("tokenizer.ggml.tokens", vocabulary)
            .AddUInt32("qwen2.context_length", 32768);
        var path = _temp.Write("vocab.gguf", builder.Build());

        var info = GgufReader.Read(path);

        Assert.Equal(new GgufArraySummary(GgufValueType.String, 150_000), info.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(32768, info.ContextLength);
    }

    private static void AssertOneSentenceNaming(CommonsException ex, string path)
    {
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Single(ex.Message.Split(". "));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
