using System.Diagnostics;

namespace Commons.Web.Tests;

/// <summary>
/// Debian's Chromium, which Playwright drives by its path (its own browser download cannot reach the
/// internet here): found, or installed by the project's script <c>.ci/chromium.sh</c> as <c>.ci/run</c> does.
/// </summary>
internal static class Chromium
{
    private static readonly Lazy<string> Found = new(FindOrInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What the probe of these machines found Chromium needs as root, headless, on a closed network.</summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static string ExecutablePath => Found.Value;

    private static string FindOrInstall()
    {
        const string Debian = "/usr/bin/chromium";
        if (File.Exists(Debian))
        {
            return Debian;
        }

        var script = RepositoryFile(Path.Combine(".ci", "chromium.sh"));
        using var process = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run " + script);
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(output.Trim())
            ? output.Trim()
            : throw new InvalidOperationException($"Chromium is not installed and {script} could not install it (exit code {process.ExitCode}): {errors}");
    }

    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No {relative} was found above {AppContext.BaseDirectory}.");
    }
}
