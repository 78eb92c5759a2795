using System.Text.RegularExpressions;
using Commons.Cli.Tests;

namespace Commons.Serve.Tests;

/// <summary>A real <c>commons serve</c> process on the tiny model, in its own data folder, on a free port.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    public const string Model = "stories260K";

    private readonly ScratchFolder _folder;

    private ServeProcess(ScratchFolder folder, RunningCommons process, Uri url)
    {
        _folder = folder;
        Process = process;
        Url = url;
    }

    public RunningCommons Process { get; }

    /// <summary>The server's address (no trailing slash).</summary>
    public Uri Url { get; }

    /// <summary>Where OpenAI clients point: the server's <c>/v1</c>.</summary>
    public Uri Endpoint => new(Url, "/v1");

    public string Home => _folder.Home;

    public static Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs) =>
        StartAsync(new ScratchFolder(), SharedModels.Stories, 1024, environment, extraArgs);

    /// <summary>As <see cref="StartAsync(IReadOnlyDictionary{string, string}?, string[])"/>, with another model file and context window.</summary>
    public static Task<ServeProcess> StartOnAsync(string modelPath, int contextSize, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs) =>
        StartAsync(new ScratchFolder(), modelPath, contextSize, environment, extraArgs);

    /// <summary>As <see cref="StartAsync(IReadOnlyDictionary{string, string}?, string[])"/>, with the shared models installed (as 'commons model list' sees them: links, not copies).</summary>
    public static Task<ServeProcess> StartWithInstalledModelsAsync(params string[] extraArgs)
    {
        var folder = new ScratchFolder();
        var models = Path.Combine(folder.Home, "models");
        Directory.CreateDirectory(models);
        foreach (var model in new[] { SharedModels.Stories, SharedModels.TinyRandom })
        {
            File.CreateSymbolicLink(Path.Combine(models, Path.GetFileName(model)), model);
        }

        return StartAsync(folder, SharedModels.Stories, 1024, null, extraArgs);
    }

    private static async Task<ServeProcess> StartAsync(ScratchFolder folder, string modelPath, int contextSize, IReadOnlyDictionary<string, string>? environment, string[] extraArgs)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            // Nothing waits on pools here; the background sync is off.
            ["COMMONS_PoolSync__IntervalSeconds"] = "0",
            ["COMMONS_Sharing__PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies"),
            // The agent's own tools are advertised in every prompt: some thousand tokens that a tiny model's
            // window cannot hold beside a conversation. The client's tools are what these tests exercise.
            ["COMMONS_Tools__Enabled"] = "false",
        };
        // A window larger than the tiny model's own, so that a conversation's history can be seen in its prompt;
        // short replies unless a request asks for more, so that a loaded machine still answers a chat in seconds.
        var process = RunningCommons.Start(folder.Home, env, ["serve", "--model", modelPath, "--context-size", contextSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-tokens", "200", "--urls", "http://127.0.0.1:0", .. extraArgs]);
        try
        {
            await process.WaitForOutputLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var url = Listening().Match(process.StandardOutput).Groups[1].Value;
            return new ServeProcess(folder, process, new Uri(url));
        }
        catch
        {
            await process.DisposeAsync();
            folder.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _folder.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+?) ")]
    private static partial Regex Listening();
}
