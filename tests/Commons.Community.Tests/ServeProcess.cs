using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Commons.Community.Tests;

/// <summary>A real <c>commons pool serve</c> process (the built executable), on free ports of 127.0.0.1.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ServeProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string database, string adminKey, params string[] extra)
    {
        var port = Ports.Free();
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "commons.dll"), "pool", "serve", "--connection", database, "--admin", adminKey,
            "--urls", $"http://127.0.0.1:{port}", "--silo-port", Ports.Free().ToString(CultureInfo.InvariantCulture), "--k", "2",
        }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(n => n.StartsWith("COMMONS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["COMMONS_HOME"] = Path.Combine(Path.GetTempPath(), "commons-serve-" + port);
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("commons pool serve did not start");
        var serve = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var clock = Stopwatch.StartNew();
        while (!serve.Output.Contains("serving on", StringComparison.Ordinal))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                var output = serve.Output;
                await serve.DisposeAsync();
                throw new InvalidOperationException($"commons pool serve did not start serving:\n{output}");
            }

            await Task.Delay(100);
        }

        return serve;
    }

    /// <summary>Kills the process with SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
