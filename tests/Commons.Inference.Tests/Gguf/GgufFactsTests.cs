using Commons.Inference.Gguf;
using Commons.Inference.Models;

namespace Commons.Inference.Tests.Gguf;

public sealed class GgufFactsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void From_FileWithoutFileType_CountsWeightsAndNamesTheCommonestType()
    {
        var path = _temp.Write("mixed.gguf", new GgufFileBuilder()
            .AddString("general.architecture", "llama")
            .AddUInt32("llama.context_length", 4096)
            .AddString("tokenizer.chat_template", "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}")
            .AddTensor("blk.0.ffn", GgufFileBuilder.Q4_K, [256, 3], 3 * 144)
            .AddTensor("norm", GgufFileBuilder.F32, [256], 256 * 4)
            .Build());

        var info = GgufReader.Read(path);
        var facts = GgufFacts.From(info, catalogEntry: null);

        Assert.Equal(1024, info.ParameterCount);
        Assert.Equal("1K", facts.Parameters);
        Assert.Equal("mostly Q4_K (75% of the weights)", facts.Quantisation);
        Assert.Equal("4096 tokens (trained)", facts.Context);
        Assert.Equal("in the file (chatml style)", facts.ChatTemplate);
        Assert.Equal("not stated in the file", facts.Licence);
    }

    [Fact]
    public void From_FileTypeAndLicenceInTheFile_TheyWinOverTensorTypesAndTheCatalog()
    {
        var path = _temp.Write("stated.gguf", new GgufFileBuilder()
            .AddString("general.architecture", "qwen2")
            .AddUInt32("general.file_type", 15)
            .AddString("general.license", "apache-2.0")
            .AddTensor("norm", GgufFileBuilder.F32, [8], 32)
            .Build());
        var catalog = new ModelCatalogEntry("some-model", "stated.gguf", new Uri("https://example.org/stated.gguf"), 1, new string('0', 64), "MIT", "a model", "chatml");

        var facts = GgufFacts.From(GgufReader.Read(path), catalog);

        Assert.Equal("qwen2", facts.Architecture);
        Assert.Equal("Q4_K_M", facts.Quantisation);
        Assert.Equal("apache-2.0", facts.Licence);
        Assert.StartsWith("none in the file", facts.ChatTemplate, StringComparison.Ordinal);
        Assert.Equal("not stated in the file", facts.Context);
    }
}
