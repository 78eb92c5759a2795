using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>Opens the page of a running <c>commons serve</c> in a fresh browser context, and saves screenshots for the README.</summary>
internal static class WebPage
{
    public static async Task<IPage> OpenAsync(BrowserFixture browser, ServedCommons serve, int width = 1100, int height = 760)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = serve.Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("body[data-loaded='chat']")).ToHaveCountAsync(1);
        return page;
    }

    /// <summary>
    /// Takes a PNG of the page. With <c>COMMONS_UPDATE_SCREENSHOTS=1</c> it goes into the repository's
    /// <c>docs/</c> folder (the README shows them); otherwise into a scratch folder, so that a test run
    /// does not leave the work tree changed (the model's words differ from run to run).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var folder = Environment.GetEnvironmentVariable("COMMONS_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Path.GetDirectoryName(Chromium.RepositoryFile("CommonsPlatform.sln"))!, "docs")
            : Path.Combine(Path.GetTempPath(), "commons-web-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        Assert.True(new FileInfo(path).Length > 0, $"the screenshot {path} is empty");
    }
}
