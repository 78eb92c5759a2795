using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Commons.Abstractions.Hosting;

namespace Commons.Inference.Models;

/// <summary>
/// Downloads a catalog model into the models folder: to <c>&lt;file&gt;.partial</c> first, resuming
/// with an HTTP Range request, hashing while it streams, and installing under the final name only
/// once the size and sha256 match the catalog.
/// </summary>
public sealed class ModelDownloader
{
    /// <summary>Suffix of a download in progress, next to where the model will be installed.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>How long the server may send nothing before the pull gives up (and keeps the partial file).</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(60);

    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly string _modelsFolder;
    private readonly TimeSpan _stallTimeout;

    /// <param name="http">The client to download with; tests pass one for a local server.</param>
    /// <param name="modelsFolder">Where models are installed (<see cref="CommonsHome.ModelsFolder"/>).</param>
    /// <param name="stallTimeout">How long the server may send nothing; <see cref="DefaultStallTimeout"/> when null.</param>
    public ModelDownloader(HttpClient http, string modelsFolder, TimeSpan? stallTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsFolder);
        _http = http;
        _modelsFolder = Path.GetFullPath(modelsFolder);
        _stallTimeout = stallTimeout ?? DefaultStallTimeout;
    }

    /// <summary>
    /// A client for real downloads: no overall timeout (a model takes minutes; stalls are caught
    /// per read instead), redirects followed (Hugging Face answers with one), no decompression
    /// (it would break byte ranges).
    /// </summary>
    public static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("commons", "1.0"));
        return client;
    }

    /// <summary>
    /// Downloads, verifies and installs <paramref name="entry"/>. A model already installed and
    /// intact is not downloaded again. Cancelling keeps the partial file so the next pull resumes.
    /// </summary>
    /// <param name="entry">The catalog entry: file name, size and sha256 to verify against.</param>
    /// <param name="source">Where to download from instead of the entry's own URL (a mirror, or a local server in tests).</param>
    /// <param name="progress">Receives progress, synchronously, on the downloading thread.</param>
    /// <param name="cancellationToken">Stops the download, keeping what was received.</param>
    public async Task<PullResult> PullAsync(
        ModelCatalogEntry entry,
        Uri? source = null,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var url = source ?? entry.Url;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new CommonsException($"Cannot download from '{url}': the address must be an http or https URL.");
        }

        var finalPath = Path.Combine(_modelsFolder, entry.FileName);
        var partialPath = finalPath + PartialSuffix;
        CreateModelsFolder();

        if (File.Exists(finalPath))
        {
            return await CheckInstalledAsync(entry, finalPath, progress, cancellationToken);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length;
        long downloaded;
        var resumedFrom = 0L;
        var file = OpenPartial(partialPath);
        try
        {
            await using (file)
            {
                var offset = file.Length;
                if (offset > entry.Size)
                {
                    // Longer than the model can be: not a prefix of it.
                    Restart(file, hash);
                    offset = 0;
                }
                else if (offset > 0)
                {
                    await HashPrefixAsync(file, offset, hash, progress, cancellationToken);
                }

                resumedFrom = offset;
                downloaded = offset < entry.Size
                    ? await DownloadAsync(entry, url, file, partialPath, offset, hash, progress, cancellationToken)
                    : 0;
                length = file.Length;
            }
        }
        catch
        {
            DeleteIfEmpty(partialPath);
            throw;
        }

        if (length < entry.Size)
        {
            throw new CommonsException(
                $"The download of {entry.Name} ended early, at {ByteCount.Format(length)} of {ByteCount.Format(entry.Size)}; run the same command again to resume.");
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            TryDelete(partialPath);
            throw new CommonsException(
                $"The download of {entry.Name} does not match the catalog: its sha256 is {actual} but {entry.Sha256} was expected; it was deleted and not installed.");
        }

        try
        {
            // Same folder, so this is a rename: the model appears whole or not at all; never over an existing file.
            File.Move(partialPath, finalPath, overwrite: false);
        }
        catch (IOException ex)
        {
            throw new CommonsException($"Cannot install {finalPath}: {ex.Message}", ex);
        }

        var outcome = resumedFrom > 0 && downloaded < entry.Size ? PullOutcome.Resumed : PullOutcome.Downloaded;
        return new PullResult(entry, finalPath, outcome, downloaded);
    }

    private static async Task<PullResult> CheckInstalledAsync(ModelCatalogEntry entry, string finalPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string? actual = null;
        long length;
        try
        {
            await using var file = new FileStream(finalPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            length = file.Length;
            if (length == entry.Size)
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await HashPrefixAsync(file, length, hash, progress, cancellationToken);
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Cannot read {finalPath}: {ex.Message}", ex);
        }

        if (string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return new PullResult(entry, finalPath, PullOutcome.AlreadyInstalled, 0);
        }

        throw new CommonsException(
            $"{finalPath} already exists but is not the catalog's {entry.Name} ({ByteCount.Format(length)}, expected {ByteCount.Format(entry.Size)} with sha256 {entry.Sha256}); move or delete it, then pull again.");
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes of <paramref name="file"/> and leaves it positioned there.</summary>
    private static async Task HashPrefixAsync(FileStream file, long length, IncrementalHash hash, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            file.Position = 0;
            var done = 0L;
            var lastReport = Stopwatch.GetTimestamp();
            progress?.Report(new DownloadProgress(DownloadStage.Checking, 0, length, 0));
            while (done < length)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                done += read;
                if (Stopwatch.GetElapsedTime(lastReport) >= ReportInterval)
                {
                    progress?.Report(new DownloadProgress(DownloadStage.Checking, done, length, 0));
                    lastReport = Stopwatch.GetTimestamp();
                }
            }

            progress?.Report(new DownloadProgress(DownloadStage.Checking, done, length, 0));
            file.Position = done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Restart(FileStream file, IncrementalHash hash)
    {
        file.SetLength(0);
        file.Position = 0;
        _ = hash.GetHashAndReset();
    }

    /// <returns>The bytes received from the server.</returns>
    private async Task<long> DownloadAsync(
        ModelCatalogEntry entry,
        Uri url,
        FileStream file,
        string partialPath,
        long offset,
        IncrementalHash hash,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            using var response = await SendAsync(entry, url, request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                // The server holds fewer bytes than the partial file: it is not a prefix of this model.
                Restart(file, hash);
                offset = 0;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CommonsException(
                    $"Downloading {entry.Name} from {url} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != offset)
                {
                    if (offset == 0)
                    {
                        throw new CommonsException($"Downloading {entry.Name} from {url} failed: the server sent part of the file when asked for all of it.");
                    }

                    // A range other than the one asked for: start over without one.
                    Restart(file, hash);
                    offset = 0;
                    continue;
                }

                CheckServerSize(entry, url, range.Length);
            }
            else
            {
                CheckServerSize(entry, url, response.Content.Headers.ContentLength);
                if (offset > 0)
                {
                    // The server ignored the Range header and sends the whole file.
                    Restart(file, hash);
                    offset = 0;
                }
            }

            EnsureDiskSpace(entry, entry.Size - offset);
            return await CopyAsync(entry, response, file, partialPath, offset, hash, progress, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ModelCatalogEntry entry, Uri url, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CommonsException($"Cannot download {entry.Name} from {url.Host}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommonsException($"Cannot download {entry.Name} from {url.Host}: the server did not answer in time.", ex);
        }
    }

    /// <returns>The bytes received.</returns>
    private async Task<long> CopyAsync(
        ModelCatalogEntry entry,
        HttpResponseMessage response,
        FileStream file,
        string partialPath,
        long offset,
        IncrementalHash hash,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var resumedFrom = offset;
        var done = offset;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            progress?.Report(new DownloadProgress(DownloadStage.Downloading, done, entry.Size, resumedFrom));
            var lastReport = Stopwatch.GetTimestamp();
            while (done < entry.Size)
            {
                int read;
                try
                {
                    stall.CancelAfter(_stallTimeout);
                    read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, entry.Size - done)), stall.Token);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new CommonsException(
                        $"The download of {entry.Name} stalled: nothing arrived for {_stallTimeout.TotalSeconds:0} s at {ByteCount.Format(done)} of {ByteCount.Format(entry.Size)}; run the same command again to resume.",
                        ex);
                }
                catch (Exception ex) when ((ex is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
                {
                    throw new CommonsException(
                        $"The connection broke at {ByteCount.Format(done)} of {ByteCount.Format(entry.Size)} of {entry.Name}; run the same command again to resume.",
                        ex);
                }

                if (read == 0)
                {
                    break;
                }

                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException ex)
                {
                    throw new CommonsException($"Cannot write {partialPath}: {ex.Message}", ex);
                }

                hash.AppendData(buffer, 0, read);
                done += read;
                if (Stopwatch.GetElapsedTime(lastReport) >= ReportInterval)
                {
                    progress?.Report(new DownloadProgress(DownloadStage.Downloading, done, entry.Size, resumedFrom));
                    lastReport = Stopwatch.GetTimestamp();
                }
            }

            progress?.Report(new DownloadProgress(DownloadStage.Downloading, done, entry.Size, resumedFrom));
            return done - resumedFrom;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CheckServerSize(ModelCatalogEntry entry, Uri url, long? serverSize)
    {
        if (serverSize is { } size && size != entry.Size)
        {
            throw new CommonsException(
                $"The file at {url} is {size} bytes but the catalog's {entry.Name} is {entry.Size}; nothing was installed.");
        }
    }

    private void EnsureDiskSpace(ModelCatalogEntry entry, long needed)
    {
        long free;
        try
        {
            free = new DriveInfo(_modelsFolder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Unknown free space is no reason to refuse: a full disk still ends in a clear write error.
            return;
        }

        if (free < needed)
        {
            throw new CommonsException(
                $"Not enough disk space in {_modelsFolder} for {entry.Name}: it needs {ByteCount.Format(needed)} more and {ByteCount.Format(free)} is free.");
        }
    }

    private void CreateModelsFolder()
    {
        try
        {
            Directory.CreateDirectory(_modelsFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Cannot create the models folder {_modelsFolder}: {ex.Message}", ex);
        }
    }

    private static FileStream OpenPartial(string partialPath)
    {
        try
        {
            // Unbuffered, so what was received is on disk when the process stops; unshared, so two
            // pulls of one model cannot interleave.
            return new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Cannot open {partialPath} ({ex.Message}); is another 'commons model pull' of this model running?", ex);
        }
    }

    private static void DeleteIfEmpty(string path)
    {
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length == 0)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leaving an empty partial file behind is harmless.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"The file {path} failed verification and could not be deleted: {ex.Message}", ex);
        }
    }
}
