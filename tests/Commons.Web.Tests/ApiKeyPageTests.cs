using System.Text.RegularExpressions;
using Commons.Cli.Tests;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>The page of a <c>commons serve</c> that has an API key (Serve:ApiKey): it asks for the key once per tab.</summary>
[Collection(WebCollection.Name)]
public sealed class ApiKeyPageTests(BrowserFixture browser) : IDisposable
{
    private const string Key = "sesame-4711";

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ServeWithApiKey_PageAsksOnceKeepsItForTheTabAndChats()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home, apiKey: Key);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = serve.Address.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var sentKeys = new List<string?>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/v1/chat/completions", StringComparison.Ordinal))
            {
                sentKeys.Add(request.Headers.GetValueOrDefault("authorization"));
            }
        };
        await page.GotoAsync("/");

        // A wrong key is refused and asked for again.
        var key = page.GetByRole(AriaRole.Textbox, new() { Name = "API key" });
        await Assertions.Expect(key).ToBeFocusedAsync();
        await key.FillAsync("not-the-key");
        await key.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#key-refused")).ToBeVisibleAsync();
        await key.FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Assertions.Expect(page.Locator("body[data-loaded='chat']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Model")).ToHaveValueAsync("stories260K");

        var box = page.GetByLabel("Message");
        await box.FillAsync("Once upon a time");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".message.assistant[data-state='done']")).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        Assert.Equal([$"Bearer {Key}"], sentKeys);

        // Kept in this tab only: a reload does not ask again, and nothing is left in localStorage.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body[data-loaded='chat']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#key-dialog")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".message.user")).ToHaveTextAsync(new Regex("Once upon a time"));
        Assert.Equal(Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('commons.apiKey')"));
        Assert.DoesNotContain(Key, await page.EvaluateAsync<string>("() => JSON.stringify(localStorage)"), StringComparison.Ordinal);

        // Another tab (a new session) is asked again.
        var other = await context.NewPageAsync();
        await other.GotoAsync("/");
        await Assertions.Expect(other.GetByRole(AriaRole.Textbox, new() { Name = "API key" })).ToBeVisibleAsync();
        await context.CloseAsync();
    }
}
