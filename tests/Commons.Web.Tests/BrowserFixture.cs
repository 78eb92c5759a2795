using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>One headless Chromium for the collection; each test opens its own context (fresh storage).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The machine is small and shared: a view that waits for the model or the pipeline may take a while.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Arguments,
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The browser tests run one after another (each starts a <c>commons serve</c> on a small machine).</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "web page";
}
