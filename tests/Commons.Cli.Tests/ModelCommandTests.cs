using System.Net;
using System.Net.Sockets;

namespace Commons.Cli.Tests;

/// <summary>
/// <c>commons model pull|list</c> run as a person runs them. Nothing here reaches the internet:
/// the only download goes to a closed port on 127.0.0.1 (the download path itself is tested
/// against a local HTTP server in Commons.Inference.Tests).
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class ModelCommandTests : IDisposable
{
    private const string DefaultModel = "qwen2.5-0.5b-instruct";
    private const string DefaultFile = "qwen2.5-0.5b-instruct-q4_k_m.gguf";

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task List_NothingInstalled_SaysHowToGetTheDefaultModel()
    {
        var result = await RunAsync("model", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No model is installed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"commons model pull {DefaultModel}", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_scratch.Home), "Listing created the data folder.");
    }

    [Fact]
    public async Task List_FilesInModelsFolder_ShowsThemWithCatalogMatchAndUnfinishedDownloads()
    {
        var models = Path.Combine(_scratch.Home, "models");
        Directory.CreateDirectory(models);
        await File.WriteAllBytesAsync(Path.Combine(models, "my-own.gguf"), new byte[2048]);
        await File.WriteAllBytesAsync(Path.Combine(models, DefaultFile), new byte[10]);
        await File.WriteAllBytesAsync(Path.Combine(models, "Llama-3.2-1B-Instruct-Q4_K_M.gguf.partial"), new byte[5000]);

        var result = await RunAsync("model", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("my-own", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("not in the catalog", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(DefaultModel, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("size differs", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Unfinished download of llama-3.2-1b-instruct", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAvailable_Always_ShowsTheCatalogWithItsDefault()
    {
        var result = await RunAsync("model", "list", "--available");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(DefaultModel, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(default)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("llama-3.2-1b-instruct", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Apache-2.0", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_NoName_SaysHowToNameOne()
    {
        var result = await RunAsync("model", "pull");

        BadInputAssert.OneSentence(result, $"commons model pull {DefaultModel}");
    }

    [Fact]
    public async Task Pull_UnknownName_ListsTheCatalogNames()
    {
        var result = await RunAsync("model", "pull", "gpt-5");

        BadInputAssert.OneSentence(result, "gpt-5", DefaultModel, "llama-3.2-1b-instruct");
        Assert.False(Directory.Exists(Path.Combine(_scratch.Home, "models")), "A failed pull created the models folder.");
    }

    [Fact]
    public async Task Pull_UrlNotHttp_SaysSo()
    {
        var result = await RunAsync("model", "pull", DefaultModel, "--url", "ftp://example.invalid/x.gguf");

        BadInputAssert.OneSentence(result, "--url");
    }

    [Fact]
    public async Task Pull_ServerUnreachable_FailsCleanlyLeavingNoFiles()
    {
        var result = await RunAsync("model", "pull", DefaultModel, "--url", $"http://127.0.0.1:{ClosedPort()}/{DefaultFile}");

        BadInputAssert.OneSentence(result, DefaultModel);
        var models = Path.Combine(_scratch.Home, "models");
        Assert.True(!Directory.Exists(models) || Directory.GetFiles(models).Length == 0, "A failed pull left files behind.");
    }

    [Fact]
    public async Task Pull_DifferentFileAlreadyThere_RefusesAndKeepsIt()
    {
        var models = Path.Combine(_scratch.Home, "models");
        Directory.CreateDirectory(models);
        var theirs = Path.Combine(models, DefaultFile);
        var before = "not the catalog's model"u8.ToArray();
        await File.WriteAllBytesAsync(theirs, before);

        var result = await RunAsync("model", "pull", DefaultModel, "--url", $"http://127.0.0.1:{ClosedPort()}/{DefaultFile}");

        BadInputAssert.OneSentence(result, theirs);
        BadInputAssert.Unchanged(theirs, before);
    }

    private Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, string.Empty, args);

    /// <summary>A port on 127.0.0.1 that nothing listens on (taken from the OS, then released).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
