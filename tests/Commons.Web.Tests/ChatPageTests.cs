using Commons.Abstractions.Hosting;
using Commons.Cli.Tests;
using Commons.Tools;
using Commons.Tools.Plugins;
using Commons.Tools.Storage;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>The chat of the page, in headless Chromium, against a real <c>commons serve</c> process on the tiny model.</summary>
[Collection(WebCollection.Name)]
public sealed class ChatPageTests(BrowserFixture browser) : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_MessageSentWithEnter_ReplyStreamsInPieceByPiece()
    {
        // A fixed sampling seed and room for a few dozen tokens: an unseeded tiny model now and then ends
        // its reply after a word, and a one-word reply cannot be seen growing.
        await using var serve = await ServedCommons.StartAsync(_scratch.Home, maxTokens: 64, settings: new Dictionary<string, string> { ["COMMONS_Model__Seed"] = "7" });
        var page = await WebPage.OpenAsync(browser, serve);
        // Every length the reply had on screen while it was still streaming.
        await page.EvaluateAsync("""
            () => {
              window.seen = [];
              new MutationObserver(() => {
                const text = document.querySelector('.message.assistant[data-state="streaming"] .text');
                if (text) window.seen.push(text.textContent.length);
              }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
            }
            """);

        var box = page.GetByLabel("Message");
        await Assertions.Expect(box).ToBeFocusedAsync();
        await box.FillAsync("Once upon a time there was a little dog");
        await box.PressAsync("Enter");

        var reply = page.Locator(".message.assistant[data-state='done']");
        await Assertions.Expect(reply).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        var final = (await reply.Locator(".text").InnerTextAsync()).Trim();
        var seen = await page.EvaluateAsync<int[]>("() => window.seen");
        Assert.False(string.IsNullOrWhiteSpace(final), serve.Output);
        // Streamed: the page showed the reply growing, part of it before the rest arrived.
        Assert.True(seen.Where(length => length > 0).Distinct().Count() >= 2, $"The reply appeared at once (lengths seen: {string.Join(",", seen)}).");
        await Assertions.Expect(page.Locator(".message.user")).ToHaveTextAsync(new Regex("Once upon a time there was a little dog"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Good reply" })).ToBeVisibleAsync();
        // The conversation is listed, titled by its first message.
        await Assertions.Expect(page.Locator("#conversation-list button")).ToContainTextAsync("Once upon a time");
        // The model choice offers the model that writes the replies, not the embedder.
        await Assertions.Expect(page.GetByLabel("Model")).ToHaveValueAsync("stories260K");
        await Assertions.Expect(page.Locator("#model option[value='all-MiniLM-L6-v2']")).ToHaveCountAsync(0);
        await WebPage.ScreenshotAsync(page, "web-chat.png");
    }

    [Fact]
    public async Task Chat_ReplyStreaming_IsShownAsRenderedMarkdownBeforeItEnds()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home, maxTokens: 96);
        var page = await WebPage.OpenAsync(browser, serve);
        // How the streaming reply looked: as Markdown rendered by the server (paragraphs), or as raw text.
        await page.EvaluateAsync("""
            () => {
              window.renderedWhileStreaming = 0;
              window.rawWhileStreaming = 0;
              new MutationObserver(() => {
                const text = document.querySelector('.message.assistant[data-state="streaming"] .text');
                if (!text || text.textContent.length === 0) return;
                if (text.querySelector('p')) window.renderedWhileStreaming++;
                else window.rawWhileStreaming++;
              }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
            }
            """);

        var box = page.GetByLabel("Message");
        await box.FillAsync("Once upon a time there was a big bear");
        await box.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".message.assistant[data-state='done']")).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        var rendered = await page.EvaluateAsync<int>("() => window.renderedWhileStreaming");
        var raw = await page.EvaluateAsync<int>("() => window.rawWhileStreaming");
        // (How many times depends on how fast the tiny model writes against the page's renders: at least once.)
        Assert.True(rendered >= 1, $"The reply was shown rendered {rendered} times while streaming ({raw} times as raw text).");
        Assert.Equal(0, raw);
        await Assertions.Expect(page.Locator(".message.assistant .text.markdown p")).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Feedback_ThumbsDownWithFix_EntryAppearsInThePlaybook()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);
        await SendAsync(page, "Tell me a story about a cat");

        await page.GetByRole(AriaRole.Button, new() { Name = "Bad reply" }).ClickAsync();
        var fix = page.GetByLabel("What should have happened?");
        await Assertions.Expect(fix).ToBeFocusedAsync();
        await fix.FillAsync("ask which cat the story should be about");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Assertions.Expect(page.Locator(".feedback .thanks")).ToContainTextAsync("playbook entry");

        await page.GetByRole(AriaRole.Button, new() { Name = "Playbook" }).ClickAsync();
        var entry = page.Locator("#entries .card", new() { HasText = "ask which cat the story should be about" });
        await Assertions.Expect(entry).ToHaveCountAsync(1);
        await Assertions.Expect(entry).ToContainTextAsync("Tell me a story about a cat");
        await Assertions.Expect(entry).ToContainTextAsync("correction");
    }

    [Fact]
    public async Task Feedback_OnAnEarlierReplyAfterReload_ReachesThatTurn()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);
        await SendAsync(page, "What is the weather like", replies: 1);
        await SendAsync(page, "Sing me a song about the sea", replies: 2);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body[data-loaded='chat']")).ToHaveCountAsync(1);
        var first = page.Locator(".message.assistant").First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Bad reply" }).ClickAsync();
        await first.GetByLabel("What should have happened?").FillAsync("say that you cannot see the weather");
        await first.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Assertions.Expect(first.Locator(".feedback .thanks")).ToContainTextAsync("playbook entry");

        await page.GetByRole(AriaRole.Button, new() { Name = "Playbook" }).ClickAsync();
        var entry = page.Locator("#entries .card", new() { HasText = "say that you cannot see the weather" });
        await Assertions.Expect(entry).ToContainTextAsync("What is the weather like");
    }

    [Fact]
    public async Task ToolCall_NeedsConfirmation_RunsOnlyAfterAllowOnThePage()
    {
        // The owner taught the agent that this request means adding a note (notes_add asks first, policies/tools.yaml).
        const string Request = "note that the cat is happy";
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, silo => PersonalDataFolder.LearnAsync(silo, Request, "notes_add", 8));
        // Room for the call's arguments (JSON held to the tool's schema by a grammar) and a reply after it.
        // The playbook's draws are seeded: eight confirmations make notes_add by far the likeliest choice,
        // but Thompson sampling (and an exploration action) could otherwise pick another now and then.
        await using var serve = await ServedCommons.StartAsync(_scratch.Home, maxTokens: 160, settings: new Dictionary<string, string> { ["COMMONS_Playbook__Seed"] = "1" });
        var page = await WebPage.OpenAsync(browser, serve);

        var box = page.GetByLabel("Message");
        await box.FillAsync(Request);
        await box.PressAsync("Enter");
        var ask = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(ask).ToContainTextAsync("notes_add", new() { Timeout = 180_000 });
        // Nothing ran while the page waits for an answer.
        Assert.Empty(await NotesAsync());
        var allow = ask.GetByRole(AriaRole.Button, new() { Name = "Allow" });
        await Assertions.Expect(allow).ToBeFocusedAsync();
        await allow.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".tool-result[data-tool='notes_add']")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator(".message.assistant[data-state='done']")).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        await serve.StopAsync();
        Assert.Single(await NotesAsync());
    }

    [Fact]
    public async Task NarrowScreen_KeyboardOnly_SendsAndSwitchesViewsWithoutSideScrolling()
    {
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve, width: 360, height: 740);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than a 360 px screen.");
        await page.Keyboard.TypeAsync("Hello there");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".message.assistant[data-state='done']")).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        await Assertions.Expect(page.GetByLabel("Message")).ToBeInViewportAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Playbook" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Playbook" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("When")).ToBeFocusedAsync();
        overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The playbook is {overflow} px wider than a 360 px screen.");
    }

    private static async Task SendAsync(IPage page, string text, int replies = 1)
    {
        var box = page.GetByLabel("Message");
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".message.assistant[data-state='done']")).ToHaveCountAsync(replies, new() { Timeout = 180_000 });
    }

    private async Task<IReadOnlyList<Note>> NotesAsync()
    {
        var notes = new NotesPlugin(new ToolsDatabase(Path.Combine(_scratch.Home, ToolsDatabase.FileName)), new PersonClock(TimeProvider.System, TimeZoneInfo.Utc));
        var all = await notes.ListAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return all;
    }
}
