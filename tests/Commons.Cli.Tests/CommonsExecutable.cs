using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Commons.Cli.Tests;

/// <summary>What a person sees when <c>commons</c> ends: its exit code and its two output streams.</summary>
internal sealed record CommonsRunResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + "\n" + StandardError;

    public override string ToString() =>
        $"{CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}\n---";
}

/// <summary>
/// Runs the real <c>commons</c> executable (<c>dotnet commons.dll</c> from the test output folder)
/// as a separate process, with its own data folder and without the caller's COMMONS_ settings.
/// </summary>
internal static class CommonsExecutable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "commons.dll");

    /// <summary>Runs <c>commons <paramref name="args"/></c>, writes <paramref name="input"/> to it, closes its input and waits for the end.</summary>
    public static async Task<CommonsRunResult> RunAsync(string commonsHome, string input, params string[] args)
    {
        await using var running = RunningCommons.Start(commonsHome, args);
        await running.WriteAsync(input);
        running.CloseInput();
        return await running.WaitForExitAsync(Timeout);
    }

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="environment"/> added to the process's variables (COMMONS_ ones among them).</summary>
    public static async Task<CommonsRunResult> RunWithEnvironmentAsync(string commonsHome, IReadOnlyDictionary<string, string> environment, string input, params string[] args)
    {
        await using var running = RunningCommons.Start(commonsHome, environment, args);
        await running.WriteAsync(input);
        running.CloseInput();
        return await running.WaitForExitAsync(Timeout);
    }

    internal static ProcessStartInfo StartInfo(string commonsHome, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        // Through env --default-signal=INT: a test run started in the background (as CI scripts do) ignores SIGINT,
        // and its children would inherit that, so a test's Ctrl-C would never reach commons.
        var info = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(DotnetHost());
        info.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Every COMMONS_ variable is configuration for the product (COMMONS_MODEL among them):
        // none of the caller's may leak in. The terminal size must not change the output either.
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("COMMONS_", StringComparison.OrdinalIgnoreCase) || name is "COLUMNS" or "LINES")
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["COMMONS_HOME"] = commonsHome;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return "dotnet";
    }
}

/// <summary>A <c>commons</c> process that is still running: its input stays open until <see cref="CloseInput"/>.</summary>
internal sealed partial class RunningCommons : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;

    private RunningCommons(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _stdout), PumpAsync(process.StandardError, _stderr));
    }

    public string CommandLine { get; }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output so far, as a person reads it (no terminal escape codes).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return Readable(_stdout.ToString());
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return Readable(_stderr.ToString());
            }
        }
    }

    public static RunningCommons Start(string commonsHome, params string[] args) =>
        Start(commonsHome, new Dictionary<string, string>(), args);

    public static RunningCommons Start(string commonsHome, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = CommonsExecutable.StartInfo(commonsHome, args, environment);
        var variables = string.Concat(environment.Select(v => $" {v.Key}={v.Value}"));
        var commandLine = $"COMMONS_HOME={commonsHome}{variables} commons {string.Join(' ', args)}";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + commandLine);
        return new RunningCommons(process, commandLine);
    }

    public async Task WriteAsync(string text)
    {
        try
        {
            await _process.StandardInput.WriteAsync(text);
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // The process already ended (a bad-input failure does not read its input).
        }
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
    }

    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already ended.
        }
    }

    /// <summary>Waits until a line of standard output satisfies <paramref name="predicate"/>.</summary>
    public Task WaitForOutputLineAsync(Func<string, bool> predicate, TimeSpan timeout) =>
        WaitForLineAsync(() => StandardOutput, predicate, timeout);

    private async Task WaitForLineAsync(Func<string> stream, Func<string, bool> predicate, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (stream().Split('\n').Any(predicate))
            {
                return;
            }

            if (_process.HasExited && _pumps.IsCompleted)
            {
                throw new InvalidOperationException($"{CommandLine} ended (exit code {_process.ExitCode}) before printing the expected line.\n{Snapshot()}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{CommandLine} did not print the expected line within {timeout.TotalSeconds} s.\n{Snapshot()}");
    }

    /// <summary>Waits until a line of standard error satisfies <paramref name="predicate"/>.</summary>
    public Task WaitForErrorLineAsync(Func<string, bool> predicate, TimeSpan timeout) =>
        WaitForLineAsync(() => StandardError, predicate, timeout);

    public async Task<CommonsRunResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            await _pumps.WaitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{CommandLine} did not end within {timeout.TotalSeconds} s.\n{Snapshot()}");
        }

        return new CommonsRunResult(CommandLine, _process.ExitCode, StandardOutput, StandardError);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(CommonsExecutable.Timeout);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Ended meanwhile.
        }
    }

    private string Snapshot() => $"--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}\n---";

    private async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_gate)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }

    private static string Readable(string text) => AnsiEscape().Replace(text, "").Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex(@"\x1B\[[0-?]*[ -/]*[@-~]")]
    private static partial Regex AnsiEscape();
}
