using Commons.Abstractions.Hosting;
using Commons.Inference.Models;

namespace Commons.Inference.Tests.Models;

public sealed class ModelCatalogTests
{
    [Fact]
    public void LoadEmbedded_EveryEntry_HasHttpsUrlSizeSha256AndLicence()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.NotEmpty(catalog.Entries);
        Assert.All(catalog.Entries, entry =>
        {
            Assert.Equal(Uri.UriSchemeHttps, entry.Url.Scheme);
            Assert.EndsWith("/" + entry.FileName, entry.Url.AbsolutePath, StringComparison.Ordinal);
            Assert.True(entry.Size > 0);
            Assert.Matches("^[0-9a-f]{64}$", entry.Sha256);
            Assert.False(string.IsNullOrWhiteSpace(entry.Licence));
            Assert.False(string.IsNullOrWhiteSpace(entry.Description));
            Assert.Contains(entry.ChatTemplate, new[] { "chatml", "llama3" });
        });
        Assert.Equal(catalog.Entries.Count, catalog.Entries.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void LoadEmbedded_Default_IsSmallestQwen()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.Equal("qwen2.5-0.5b-instruct", catalog.Default.Name);
        Assert.Equal(catalog.Entries.Min(e => e.Size), catalog.Default.Size);
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingTheKnownModels()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        var error = Assert.Throws<CommonsException>(() => catalog.Get("gpt-5"));

        Assert.Contains("gpt-5", error.Message, StringComparison.Ordinal);
        Assert.All(catalog.Entries, entry => Assert.Contains(entry.Name, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Get_NameInOtherCase_FindsEntry()
    {
        var entry = ModelCatalog.LoadEmbedded().Get(" Qwen2.5-0.5B-Instruct ");

        Assert.Equal("qwen2.5-0.5b-instruct-q4_k_m.gguf", entry.FileName);
    }

    [Theory]
    [InlineData("\"url\": \"http://example.org/a.gguf\"", "https")]
    [InlineData("\"sha256\": \"abc\"", "64 hex")]
    [InlineData("\"size\": 0", "positive")]
    [InlineData("\"file\": \"../a.gguf\"", "plain")]
    [InlineData("\"licence\": \"\"", "licence")]
    public void Parse_BadEntry_ThrowsCommonsException(string replacement, string expected)
    {
        var properties = new Dictionary<string, string>
        {
            ["name"] = "\"name\": \"a\"",
            ["file"] = "\"file\": \"a.gguf\"",
            ["url"] = "\"url\": \"https://example.org/a.gguf\"",
            ["size"] = "\"size\": 10",
            ["sha256"] = $"\"sha256\": \"{new string('a', 64)}\"",
            ["licence"] = "\"licence\": \"MIT\"",
            ["description"] = "\"description\": \"d\"",
            ["chatTemplate"] = "\"chatTemplate\": \"chatml\"",
        };
        var key = replacement[1..replacement.IndexOf('"', 1)];
        properties[key] = replacement;
        var json = $"{{ \"models\": [ {{ {string.Join(", ", properties.Values)} }} ] }}";

        var error = Assert.Throws<CommonsException>(() => ModelCatalog.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_ThrowsCommonsException()
    {
        Assert.Throws<CommonsException>(() => ModelCatalog.Parse("{ models: "));
    }
}
