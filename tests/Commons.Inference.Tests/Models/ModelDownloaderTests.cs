using System.Security.Cryptography;
using Commons.Abstractions.Hosting;
using Commons.Inference.Models;

namespace Commons.Inference.Tests.Models;

/// <summary>
/// The download path against a real HTTP server on 127.0.0.1; the catalog address of the test
/// entry (example.invalid) is never contacted, every pull passes the local server's URL.
/// </summary>
public sealed class ModelDownloaderTests : IDisposable
{
    private const int ContentLength = 3_000_017;
    private static readonly byte[] Content = Generate(ContentLength, seed: 42);

    private readonly TempModelsFolder _folder = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task PullAsync_FreshDownload_VerifiesAndInstalls()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(PullOutcome.Downloaded, result.Outcome);
        Assert.Equal(_folder.PathOf(entry.FileName), result.FilePath);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
        Assert.False(File.Exists(PartialPath(entry)));
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Range);
        Assert.Equal(ContentLength, request.BodyBytesSent);
    }

    [Fact]
    public async Task PullAsync_PartialFilePresent_SendsRangeAndServesOnlyRemainder()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);
        const int AlreadyHave = 1_234_567;
        await File.WriteAllBytesAsync(PartialPath(entry), Content.AsSpan(0, AlreadyHave).ToArray());

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(PullOutcome.Resumed, result.Outcome);
        Assert.Equal(ContentLength - AlreadyHave, result.BytesDownloaded);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
        Assert.False(File.Exists(PartialPath(entry)));
        var request = Assert.Single(server.Requests);
        Assert.Equal($"bytes={AlreadyHave}-", request.Range);
        Assert.Equal(206, request.Status);
        Assert.Equal(ContentLength - AlreadyHave, request.BodyBytesSent);
    }

    [Fact]
    public async Task PullAsync_Sha256Mismatch_RejectsAndInstallsNothing()
    {
        await using var server = new LocalHttpServer(Content);
        var expected = Sha256(Generate(ContentLength, seed: 7));
        var entry = Entry(Content) with { Sha256 = expected };

        var error = await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, server.FileUrl));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(Sha256(Content), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
        Assert.False(File.Exists(PartialPath(entry)));
    }

    [Fact]
    public async Task PullAsync_CorruptPartialFile_RejectedDeletedAndNextPullSucceeds()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);
        var corrupt = Content.AsSpan(0, 100_000).ToArray();
        corrupt[500] ^= 0xFF;
        await File.WriteAllBytesAsync(PartialPath(entry), corrupt);

        await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, server.FileUrl));
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
        Assert.False(File.Exists(PartialPath(entry)));

        var result = await Downloader().PullAsync(entry, server.FileUrl);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
    }

    [Fact]
    public async Task PullAsync_ServerIgnoresRange_RestartsAndInstallsCorrectFile()
    {
        await using var server = new LocalHttpServer(Content) { IgnoreRange = true };
        var entry = Entry(Content);
        await File.WriteAllBytesAsync(PartialPath(entry), Content.AsSpan(0, 1_000_000).ToArray());

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(PullOutcome.Downloaded, result.Outcome);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
        var request = Assert.Single(server.Requests);
        Assert.Equal("bytes=1000000-", request.Range);
        Assert.Equal(200, request.Status);
        Assert.Equal(ContentLength, request.BodyBytesSent);
    }

    [Fact]
    public async Task PullAsync_ServerAnswers416_RestartsFromZeroAndInstalls()
    {
        await using var server = new LocalHttpServer(Content) { RejectRanges = true };
        var entry = Entry(Content);
        await File.WriteAllBytesAsync(PartialPath(entry), Content.AsSpan(0, 1_000_000).ToArray());

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
        Assert.Collection(
            server.Requests,
            first => Assert.Equal(416, first.Status),
            second =>
            {
                Assert.Null(second.Range);
                Assert.Equal(200, second.Status);
            });
    }

    [Fact]
    public async Task PullAsync_ConnectionDropsMidway_KeepsPartialAndNextPullResumes()
    {
        const int Dropped = 2_000_000;
        await using var server = new LocalHttpServer(Content) { DropFirstAfter = Dropped };
        var entry = Entry(Content);

        var error = await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, server.FileUrl));
        Assert.Contains("resume", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
        Assert.Equal(Dropped, new FileInfo(PartialPath(entry)).Length);

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(PullOutcome.Resumed, result.Outcome);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
        Assert.Equal($"bytes={Dropped}-", server.Requests[^1].Range);
        Assert.Equal(ContentLength - Dropped, server.Requests[^1].BodyBytesSent);
    }

    [Fact]
    public async Task PullAsync_Cancelled_KeepsPartialForResume()
    {
        const int BeforeStall = 1_000_000;
        await using var server = new LocalHttpServer(Content) { StallFirstAfter = BeforeStall };
        var entry = Entry(Content);
        using var cancel = new CancellationTokenSource();

        var pull = Downloader().PullAsync(entry, server.FileUrl, cancellationToken: cancel.Token);
        await server.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForLengthAsync(PartialPath(entry), BeforeStall);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull);
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
        Assert.Equal(BeforeStall, new FileInfo(PartialPath(entry)).Length);

        var result = await Downloader().PullAsync(entry, server.FileUrl);
        Assert.Equal(PullOutcome.Resumed, result.Outcome);
        Assert.Equal(Content, await File.ReadAllBytesAsync(result.FilePath));
    }

    [Fact]
    public async Task PullAsync_ServerStalls_GivesUpKeepingPartial()
    {
        const int BeforeStall = 500_000;
        await using var server = new LocalHttpServer(Content) { StallFirstAfter = BeforeStall };
        var entry = Entry(Content);

        var error = await Assert.ThrowsAsync<CommonsException>(
            () => Downloader(stallTimeout: TimeSpan.FromMilliseconds(500)).PullAsync(entry, server.FileUrl));

        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Equal(BeforeStall, new FileInfo(PartialPath(entry)).Length);
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
    }

    [Fact]
    public async Task PullAsync_AlreadyInstalled_DoesNotDownloadAgain()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);
        await File.WriteAllBytesAsync(_folder.PathOf(entry.FileName), Content);

        var result = await Downloader().PullAsync(entry, server.FileUrl);

        Assert.Equal(PullOutcome.AlreadyInstalled, result.Outcome);
        Assert.Equal(0, result.BytesDownloaded);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task PullAsync_DifferentFileUnderFinalName_IsNotOverwritten()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);
        var theirs = Generate(1000, seed: 3);
        await File.WriteAllBytesAsync(_folder.PathOf(entry.FileName), theirs);

        var error = await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, server.FileUrl));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(theirs, await File.ReadAllBytesAsync(_folder.PathOf(entry.FileName)));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task PullAsync_ServerFileOfAnotherSize_RefusedBeforeDownloading()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content) with { Size = ContentLength + 10 };

        var error = await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, server.FileUrl));

        Assert.Contains($"{ContentLength} bytes", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf(entry.FileName)));
        Assert.False(File.Exists(PartialPath(entry)));
    }

    [Fact]
    public async Task PullAsync_NotFound_ThrowsCommonsExceptionNamingStatus()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);

        var error = await Assert.ThrowsAsync<CommonsException>(
            () => Downloader().PullAsync(entry, new Uri(server.BaseUrl, "/missing.gguf")));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder.FullPath));
    }

    [Fact]
    public async Task PullAsync_NothingListening_ThrowsCommonsException()
    {
        var entry = Entry(Content);
        Uri closed;
        await using (var server = new LocalHttpServer(Content))
        {
            closed = server.FileUrl;
        }

        await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, closed));
        Assert.Empty(Directory.GetFiles(_folder.FullPath));
    }

    [Fact]
    public async Task PullAsync_NonHttpSource_ThrowsCommonsException()
    {
        var entry = Entry(Content);

        await Assert.ThrowsAsync<CommonsException>(() => Downloader().PullAsync(entry, new Uri("file:///etc/passwd")));
    }

    [Fact]
    public async Task PullAsync_Download_ReportsProgressUpToTotal()
    {
        await using var server = new LocalHttpServer(Content);
        var entry = Entry(Content);
        await File.WriteAllBytesAsync(PartialPath(entry), Content.AsSpan(0, 1000).ToArray());
        var progress = new RecordingProgress();

        await Downloader().PullAsync(entry, server.FileUrl, progress);

        var reports = progress.Reports;
        Assert.Contains(reports, r => r.Stage == DownloadStage.Checking);
        var downloading = reports.Where(r => r.Stage == DownloadStage.Downloading).ToList();
        Assert.NotEmpty(downloading);
        Assert.All(downloading, r => Assert.Equal(ContentLength, r.TotalBytes));
        Assert.All(downloading, r => Assert.Equal(1000, r.ResumedFrom));
        Assert.Equal(downloading.Select(r => r.BytesDone).Order(), downloading.Select(r => r.BytesDone));
        Assert.Equal(ContentLength, downloading[^1].BytesDone);
    }

    private ModelDownloader Downloader(TimeSpan? stallTimeout = null) => new(_http, _folder.FullPath, stallTimeout);

    private string PartialPath(ModelCatalogEntry entry) => _folder.PathOf(entry.FileName) + ModelDownloader.PartialSuffix;

    private static ModelCatalogEntry Entry(byte[] content) => new(
        "test-model",
        "test-model-q4_k_m.gguf",
        new Uri("https://example.invalid/test-model-q4_k_m.gguf"),
        content.Length,
        Sha256(content),
        "MIT",
        "A test model.",
        "chatml");

    private static byte[] Generate(int length, int seed)
    {
        var bytes = new byte[length];
#pragma warning disable CA5394 // Deterministic test data, not security.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task WaitForLengthAsync(string path, long length)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && new FileInfo(path).Length >= length)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"{path} did not reach {length} bytes.");
    }
}
