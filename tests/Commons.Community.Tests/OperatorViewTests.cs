using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Commons.Community.Hosting;
using Microsoft.Playwright;

namespace Commons.Community.Tests;

/// <summary>
/// The operator's view of a two-silo pool: health and readiness on each silo, the pool's metrics on
/// each silo's admin address (and not on the public one), and the Orleans Dashboard loading in a
/// real headless Chromium.
/// </summary>
public sealed partial class OperatorViewTests
{
    private const string Chromium = "/usr/bin/chromium";

    [PostgresFact]
    public async Task TwoSilos_HealthReadyAndMetrics_OnEachSilo_MetricsOnlyOnTheAdminAddress()
    {
        await using var pool = await TestPool.StartAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        await using var second = await pool.StartSiloAsync(new Dictionary<string, string?> { ["Pool:K"] = "2" });
        var (viaFirst, firstKey) = await pool.MemberAsync();
        var (viaSecond, secondKey) = pool.ClientFor(second.Url, out var secondMember) is var client ? (client, secondMember) : default;
        await viaSecond.JoinAsync(pool.Invite());

        await viaFirst.PublishAsync(Artifacts.Sign(firstKey, "ops.metrics", "heating left on while away", "turn the thermostat down before leaving"));
        await viaSecond.PublishAsync(Artifacts.Sign(secondKey, "ops.metrics", "heating left on while away", "turn the thermostat down before leaving"));
        await viaSecond.QueryAsync("ops.metrics", "the heating");

        using var http = new HttpClient();
        foreach (var silo in new[] { pool.Silo, second })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.Url, OperatorView.Healthz))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.Url, OperatorView.Readyz))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(silo.Url, OperatorView.Metrics))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(silo.Url, OperatorView.Dashboard))).StatusCode);

            var metrics = await http.GetStringAsync(new Uri(silo.AdminUrl!, OperatorView.Metrics));
            Assert.True(Sample(metrics, "commons_pool_artifacts_published_total") >= 1, metrics);
            Assert.True(Sample(metrics, "commons_pool_receipt_duration_milliseconds_count") >= 1, metrics);
        }

        var last = await http.GetStringAsync(new Uri(second.AdminUrl!, OperatorView.Metrics));
        Assert.True(Sample(last, "commons_pool_reads_total") >= 1, last);
        Assert.True(Sample(last, "commons_pool_groups_served_total") >= 1, last);
    }

    [PostgresFact]
    public async Task Dashboard_OnTheAdminAddress_LoadsInHeadlessChromium()
    {
        await EnsureChromiumAsync();
        await using var pool = await TestPool.StartAsync();
        var (member, key) = await pool.MemberAsync();
        await member.PublishAsync(Artifacts.Sign(key, "ops.dashboard", "a situation", "some advice"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(pool.Silo.AdminUrl!, OperatorView.Dashboard + "/").ToString());
        // The dashboard is a script-driven page: it has loaded once its overview shows the cluster.
        await page.GetByText("Active silos").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await page.GetByText("Total activations").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        Assert.Equal(200, response!.Status);
        Assert.Contains("Orleans", await page.TitleAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sum of every sample of a metric (all its tag sets) in Prometheus text format.</summary>
    private static double Sample(string exposition, string name) =>
        SampleLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == name)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    /// <summary>Debian's chromium, installed here if the machine does not have it yet (CI installs it too).</summary>
    private static async Task EnsureChromiumAsync()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        using var install = Process.Start(new ProcessStartInfo("apt-get", "install -y --no-install-recommends chromium") { UseShellExecute = false })!;
        await install.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(File.Exists(Chromium), "chromium could not be installed with apt-get; the dashboard test needs /usr/bin/chromium.");
    }
}
