using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Commons.Inference.Tests.Models;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, serving one file at
/// <see cref="FileUrl"/> with byte ranges (<c>Range: bytes=N-</c> and <c>bytes=N-M</c>), one request
/// per connection. Switches make it misbehave the ways real servers do.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    public const string FilePath = "/model.gguf";

    private readonly byte[] _content;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private readonly Task _loop;
    private int _served;

    public LocalHttpServer(byte[] content)
    {
        _content = content;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public Uri FileUrl => new(BaseUrl, FilePath);

    /// <summary>Answer every request with the whole file and 200, as servers without range support do.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Answer every range request with 416 Range Not Satisfiable.</summary>
    public bool RejectRanges { get; set; }

    /// <summary>On the first request only: announce the full length, send this many body bytes, then close the connection.</summary>
    public long? DropFirstAfter { get; set; }

    /// <summary>On the first request only: send this many body bytes, then send nothing more until the client gives up.</summary>
    public long? StallFirstAfter { get; set; }

    /// <summary>Completes when a stalling response has sent its bytes and stopped.</summary>
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var first = Interlocked.Increment(ref _served) == 1;
                await RespondAsync(stream, head.Value.Path, head.Value.Range, first);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (cancelled, or gave up on a stall): nothing to do.
            }
        }
    }

    private async Task RespondAsync(NetworkStream stream, string path, string? range, bool first)
    {
        var length = (long)_content.Length;
        if (path != FilePath)
        {
            await WriteHeadAsync(stream, 404, "Not Found", 0, null);
            _requests.Enqueue(new ServedRequest(path, range, 404, 0));
            return;
        }

        long start = 0;
        var end = length - 1;
        var status = 200;
        if (range is not null && !IgnoreRange)
        {
            if (RejectRanges || !TryParseRange(range, out start, out var requestedEnd) || start >= length)
            {
                await WriteHeadAsync(stream, 416, "Range Not Satisfiable", 0, $"bytes */{length}");
                _requests.Enqueue(new ServedRequest(path, range, 416, 0));
                return;
            }

            end = Math.Min(requestedEnd ?? length - 1, length - 1);
            status = 206;
        }

        var count = end - start + 1;
        await WriteHeadAsync(
            stream,
            status,
            status == 206 ? "Partial Content" : "OK",
            count,
            status == 206 ? $"bytes {start}-{end}/{length}" : null);

        var limit = count;
        if (first && DropFirstAfter is { } drop)
        {
            limit = Math.Min(limit, drop);
        }

        if (first && StallFirstAfter is { } stall)
        {
            limit = Math.Min(limit, stall);
        }

        var sent = 0L;
        while (sent < limit)
        {
            var chunk = (int)Math.Min(64 * 1024, limit - sent);
            await stream.WriteAsync(_content.AsMemory((int)(start + sent), chunk), _stop.Token);
            sent += chunk;
        }

        await stream.FlushAsync(_stop.Token);
        _requests.Enqueue(new ServedRequest(path, range, status, sent));
        if (first && StallFirstAfter is not null)
        {
            Stalled.TrySetResult();
            // Hold the connection open and silent until the client closes it or the server stops.
            var sink = new byte[1];
            while (await stream.ReadAsync(sink, _stop.Token) > 0)
            {
            }
        }
    }

    private static async Task<(string Path, string? Range)?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString([.. bytes]).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        string? range = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
            {
                range = line[(colon + 1)..].Trim();
            }
        }

        return (requestLine.Length > 1 ? requestLine[1] : "/", range);
    }

    private static bool TryParseRange(string range, out long start, out long? end)
    {
        start = 0;
        end = null;
        if (!range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parts = range["bytes=".Length..].Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return false;
        }

        if (parts[1].Length > 0)
        {
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                return false;
            }

            end = last;
        }

        return true;
    }

    private async Task WriteHeadAsync(NetworkStream stream, int status, string reason, long contentLength, string? contentRange)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append(IgnoreRange ? string.Empty : "Accept-Ranges: bytes\r\n")
            .Append(contentRange is null ? string.Empty : $"Content-Range: {contentRange}\r\n")
            .Append("Connection: close\r\n\r\n")
            .ToString();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
    }
}
