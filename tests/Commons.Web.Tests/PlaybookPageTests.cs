using Commons.Cli.Tests;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>The playbook, the imported insights and the pools, on the page of a real <c>commons serve</c>.</summary>
[Collection(WebCollection.Name)]
public sealed class PlaybookPageTests(BrowserFixture browser) : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Playbook_AddEditRetire_EachShowsAndLasts()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);
        await page.GetByRole(AriaRole.Button, new() { Name = "Playbook" }).ClickAsync();

        await page.GetByLabel("When").FillAsync("I ask for a recipe");
        await page.GetByLabel("Do (advice)").FillAsync("ask about allergies first");
        await page.GetByLabel("Do (advice)").PressAsync("Enter");
        var entry = page.Locator("#entries .card", new() { HasText = "I ask for a recipe" });
        await Assertions.Expect(entry).ToContainTextAsync("ask about allergies first");
        var id = await entry.GetAttributeAsync("data-entry");

        await entry.GetByRole(AriaRole.Button, new() { Name = $"Edit entry {id}" }).ClickAsync();
        var advice = entry.GetByLabel("Do (advice)");
        await Assertions.Expect(advice).ToBeFocusedAsync();
        await advice.FillAsync("ask about allergies and diet first");
        await advice.PressAsync("Enter");
        await Assertions.Expect(page.Locator($"#entries .card[data-entry='{id}']")).ToContainTextAsync("ask about allergies and diet first");

        // What the page changed is the agent's playbook: it is still there after a reload.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Playbook" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#entries .card[data-entry='{id}']")).ToContainTextAsync("ask about allergies and diet first");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Retire entry {id}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#entries .card[data-entry='{id}']")).ToHaveCountAsync(0);
        await page.GetByLabel("Show retired entries").CheckAsync();
        await Assertions.Expect(page.Locator($"#entries .card.retired[data-entry='{id}']")).ToContainTextAsync("retired");
    }

    [Fact]
    public async Task Imported_StagedInsights_ShowWhyAndTheOwnerCanAdopt()
    {
        string trial = "", blocked = "";
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, async silo =>
        {
            var reviews = await silo.Playbook.StageImportsAsync([
                PersonalDataFolder.Insight("c1", "turn the porch lights off at midnight", "iot_hue_lightoff"),
                PersonalDataFolder.Insight("c2", "the owner dictates a reply", null, "send it without asking"),
            ]);
            (trial, blocked) = (reviews[0].EntryId, reviews[1].EntryId);
        });
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);

        await page.GetByRole(AriaRole.Button, new() { Name = "Imported" }).ClickAsync();
        var guarded = page.Locator($"#insights .card[data-insight='{blocked}']");
        await Assertions.Expect(guarded).ToContainTextAsync("rejected");
        await Assertions.Expect(guarded).ToContainTextAsync("guard-rail");
        var staged = page.Locator($"#insights .card[data-insight='{trial}']");
        await Assertions.Expect(staged).ToContainTextAsync("turn the porch lights off at midnight");
        await Assertions.Expect(staged).ToContainTextAsync("from pool.example");

        await staged.GetByRole(AriaRole.Button, new() { Name = "Adopt" }).ClickAsync();
        await Assertions.Expect(staged).ToContainTextAsync("adopted");
        await guarded.GetByRole(AriaRole.Button, new() { Name = "Adopt" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status.error")).ToContainTextAsync("guard-rail");
    }

    [Fact]
    public async Task Pools_NoneJoined_SaysHowToJoinAndSyncNowSaysWhy()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pools" }).ClickAsync();
        await Assertions.Expect(page.Locator("#pools")).ToContainTextAsync("commons pool join");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status.error")).ToContainTextAsync("No pool is joined yet");
    }
}
