using System.Net;
using Commons.Abstractions.Hosting;
using Commons.Cli.Tests;
using Commons.Personal.Hosting;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>Share review on the page: exactly the bytes shown are what the outbox holds after approval; no other site can approve.</summary>
[Collection(WebCollection.Name)]
public sealed class ShareReviewPageTests(BrowserFixture browser) : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ShareReview_Approve_TheBytesShownAreWhatReachesTheOutbox()
    {
        await LearnSomethingWorthSharingAsync();
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);

        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        var waiting = page.Locator("#awaiting .card");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#share-summary")).ToContainTextAsync("privacy budget spent today");
        var shown = await waiting.Locator("pre.bytes").TextContentAsync();
        var id = await waiting.GetAttributeAsync("data-item");
        Assert.StartsWith("{\"", shown, StringComparison.Ordinal);
        await WebPage.ScreenshotAsync(page, "web-share-review.png", fullPage: true);

        await waiting.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("pproved");
        await Assertions.Expect(page.Locator("#awaiting")).ToContainTextAsync("Nothing waits for your approval.");
        await Assertions.Expect(page.Locator("#outbox pre.bytes")).ToHaveTextAsync(shown!);
        await serve.StopAsync();

        // Read back from the data folder, without the page: the outbox holds exactly the bytes that were shown.
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, async silo =>
        {
            var ready = Assert.Single(await silo.Outbox().ListOutboxAsync());
            Assert.Equal(id, ready.Id);
            Assert.Equal(shown, ready.Json);
        });
    }

    [Fact]
    public async Task CrossSiteRequests_ApproveOrRunATool_AreRefusedAndChangeNothing()
    {
        await LearnSomethingWorthSharingAsync();
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        var id = await page.Locator("#awaiting .card").GetAttributeAsync("data-item");
        var approve = new Uri(serve.Address, $"/api/share/{id}/approve");

        // Another site's page (http://localhost is another site than http://127.0.0.1; any document there without
        // the page's own content policy) posts to the approval, as a browser lets any page do.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync($"http://localhost:{serve.Address.Port}/v1/models");
        var answer = other.WaitForResponseAsync(r => r.Url == approve.ToString());
        var sent = await other.EvaluateAsync<string>("url => fetch(url, { method: 'POST', mode: 'no-cors' }).then(() => 'sent', e => String(e))", approve.ToString());
        Assert.Equal("sent", sent);
        Assert.Equal(403, (await answer).Status);

        // A program that forges the headers gets the same answer, for a tool call too.
        using var http = new HttpClient { BaseAddress = serve.Address };
        foreach (var path in (string[])[$"/api/share/{id}/approve", "/api/tools/call1/allow", "/api/playbook/e1/retire"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Add("Origin", "http://evil.example");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Cross-site requests may not change anything", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Still waiting for the person.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#awaiting .card[data-item='{id}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#outbox")).ToContainTextAsync("The outbox is empty.");
    }

    private Task LearnSomethingWorthSharingAsync() =>
        PersonalDataFolder.WithSiloAsync(_scratch.Home, silo => PersonalDataFolder.LearnAsync(silo, "schedule a meeting with the design team on monday", "calendar_set", 6));
}
