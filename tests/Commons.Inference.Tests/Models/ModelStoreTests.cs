using Commons.Inference.Models;

namespace Commons.Inference.Tests.Models;

public sealed class ModelStoreTests : IDisposable
{
    private const string CatalogJson = """
        {
          "default": "tiny",
          "models": [
            { "name": "tiny", "file": "tiny-q4_k_m.gguf", "url": "https://example.invalid/tiny-q4_k_m.gguf", "size": 10,
              "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "licence": "MIT", "description": "d", "chatTemplate": "chatml" },
            { "name": "small", "file": "small-q4_k_m.gguf", "url": "https://example.invalid/small-q4_k_m.gguf", "size": 20,
              "sha256": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "licence": "MIT", "description": "d", "chatTemplate": "llama3" }
          ]
        }
        """;

    private readonly TempModelsFolder _folder = new();
    private readonly ModelStore _store;

    public ModelStoreTests() => _store = new ModelStore(_folder.FullPath, ModelCatalog.Parse(CatalogJson));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void List_FolderMissing_ReturnsNothing()
    {
        var store = new ModelStore(Path.Combine(_folder.FullPath, "not-there"), ModelCatalog.Parse(CatalogJson));

        Assert.Empty(store.List());
        Assert.Empty(store.ListPartial());
    }

    [Fact]
    public void List_CatalogAndOwnFiles_MarksCatalogMatches()
    {
        Write("tiny-q4_k_m.gguf", 10);
        Write("small-q4_k_m.gguf", 7);
        Write("my-own.gguf", 5);
        Write("notes.txt", 3);

        var models = _store.List();

        Assert.Collection(
            models,
            own =>
            {
                Assert.Equal("my-own", own.Name);
                Assert.Equal(CatalogMatch.NotInCatalog, own.Match);
                Assert.Equal(5, own.Size);
            },
            small =>
            {
                Assert.Equal("small", small.Name);
                Assert.Equal(CatalogMatch.SizeDiffers, small.Match);
            },
            tiny =>
            {
                Assert.Equal("tiny", tiny.Name);
                Assert.Equal(CatalogMatch.Matches, tiny.Match);
                Assert.Equal("tiny-q4_k_m.gguf", tiny.FileName);
            });
    }

    [Fact]
    public void ListPartial_UnfinishedDownload_IsListedWithItsEntry()
    {
        Write("small-q4_k_m.gguf" + ModelDownloader.PartialSuffix, 4);

        var partial = Assert.Single(_store.ListPartial());

        Assert.Empty(_store.List());
        Assert.Equal(4, partial.BytesDone);
        Assert.Equal("small", partial.CatalogEntry?.Name);
    }

    [Fact]
    public void Resolve_InstalledCatalogName_ReturnsItsPath()
    {
        var path = Write("tiny-q4_k_m.gguf", 10);

        Assert.Equal(path, _store.Resolve("TINY"));
    }

    [Fact]
    public void Resolve_FileNameWithOrWithoutExtension_ReturnsItsPath()
    {
        var path = Write("my-own.gguf", 5);

        Assert.Equal(path, _store.Resolve("my-own.gguf"));
        Assert.Equal(path, _store.Resolve("my-own"));
    }

    [Theory]
    [InlineData("small")]
    [InlineData("unknown")]
    [InlineData("../tiny-q4_k_m.gguf")]
    [InlineData("")]
    public void Resolve_NothingInstalledByThatName_ReturnsNull(string name)
    {
        Write("tiny-q4_k_m.gguf", 10);

        Assert.Null(_store.Resolve(name));
    }

    private string Write(string fileName, int length)
    {
        var path = _folder.PathOf(fileName);
        File.WriteAllBytes(path, new byte[length]);
        return path;
    }
}
