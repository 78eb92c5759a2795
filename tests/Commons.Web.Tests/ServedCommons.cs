using System.Net;
using System.Net.Sockets;
using Commons.Cli.Tests;

namespace Commons.Web.Tests;

/// <summary>
/// A real <c>commons serve</c> process on the tiny model, as README.md tells a person to start it, with its
/// own data folder and a free loopback port. Disposing stops it (its data folder stays for the test to read).
/// </summary>
internal sealed class ServedCommons : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly RunningCommons _process;

    private ServedCommons(RunningCommons process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => $"--- stdout ---\n{_process.StandardOutput}\n--- stderr ---\n{_process.StandardError}";

    /// <summary>Starts <c>commons serve</c>; replies stop at <paramref name="maxTokens"/> (the tiny model writes stories, and the machine is small).</summary>
    /// <paramref name="apiKey"/>: the key the serve asks for (Serve:ApiKey, set as a person sets it, in the environment).
    /// <paramref name="settings"/>: more settings, set in the environment as a person would.
    public static async Task<ServedCommons> StartAsync(string home, int maxTokens = 24, string? apiKey = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var args = new List<string> { "serve", "--model", SharedModels.Stories, "--urls", address.ToString().TrimEnd('/'), "--max-tokens", maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var environment = settings is null ? new Dictionary<string, string>() : new Dictionary<string, string>(settings);
        if (apiKey is not null)
        {
            environment["COMMONS_Serve__ApiKey"] = apiKey;
        }

        var process = RunningCommons.Start(home, environment, [.. args]);
        var served = new ServedCommons(process, address);
        try
        {
            await served.WaitUntilAnsweringAsync(apiKey);
        }
        catch
        {
            await served.DisposeAsync();
            throw;
        }

        return served;
    }

    /// <summary>Stops the process as Ctrl-C does, so it closes its data folder cleanly, and waits for the end.</summary>
    public async Task StopAsync()
    {
        // Ctrl-C: serve finishes background work (reflection on the last feedback) for up to 60 s before
        // it stops, so a test that reads the data folder afterwards waits that long, and a little more.
        _process.Interrupt();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private async Task WaitUntilAnsweringAsync(string? apiKey)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < StartTimeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/v1/models", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"commons serve did not answer on {Address} within {StartTimeout.TotalSeconds} s.\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
