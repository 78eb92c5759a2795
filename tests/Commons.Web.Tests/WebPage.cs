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

    /// <summary>Saves a PNG of the page into the repository's <c>docs/</c> folder (the README shows them).</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var docs = Path.Combine(Path.GetDirectoryName(Chromium.RepositoryFile("CommonsPlatform.sln"))!, "docs");
        Directory.CreateDirectory(docs);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, name), FullPage = fullPage });
    }
}
