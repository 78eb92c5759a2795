using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Commons.Cli.Tests;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>The model choice of the page and the API's <c>model</c> field: one choice among the installed models, in the running serve.</summary>
[Collection(WebCollection.Name)]
public sealed class ModelChoicePageTests(BrowserFixture browser) : IDisposable
{
    private const string Stories = "stories260K";
    private const string TinyRandom = "llama-2-tiny-random";

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ModelChoice_OtherInstalledModelChosen_RepliesComeFromItOnThePageAndThroughTheApi()
    {
        // Two installed models, as 'commons model list' sees them (links to the shared files, not copies).
        var models = Path.Combine(_scratch.Home, "models");
        Directory.CreateDirectory(models);
        File.CreateSymbolicLink(Path.Combine(models, Stories + ".gguf"), SharedModels.Stories);
        File.CreateSymbolicLink(Path.Combine(models, TinyRandom + ".gguf"), SharedModels.TinyRandom);
        await using var serve = await ServedCommons.StartAsync(_scratch.Home);
        var page = await WebPage.OpenAsync(browser, serve);

        var choice = page.GetByLabel("Model");
        await Assertions.Expect(choice).ToHaveValueAsync(Stories);
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync([TinyRandom, Stories]);
        await choice.SelectOptionAsync(TinyRandom);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"{TinyRandom} is in use.", new() { Timeout = 120_000 });
        // The commands that attach to this serve (commons chat) are told which model is in use.
        using (var registration = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_scratch.Home, "serve.json"))))
        {
            Assert.Equal(TinyRandom, registration.RootElement.GetProperty("modelName").GetString());
        }

        var box = page.GetByLabel("Message");
        await box.FillAsync("Once upon a time");
        await box.PressAsync("Enter");
        var reply = page.Locator(".message.assistant[data-state='done']");
        await Assertions.Expect(reply).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        await Assertions.Expect(reply.Locator(".who")).ToHaveTextAsync($"commons · {TinyRandom}");

        // The API lists the same models, and its model field switches the same choice.
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromMinutes(3) };
        using (var listed = await JsonDocument.ParseAsync(await http.GetStreamAsync(new Uri("/v1/models", UriKind.Relative))))
        {
            var ids = listed.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
            Assert.Contains(Stories, ids);
            Assert.Contains(TinyRandom, ids);
        }

        using var missing = await CompleteAsync(http, "no-such-model");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()))
        {
            Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("model", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        }

        using var answered = await CompleteAsync(http, Stories);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using (var completion = JsonDocument.Parse(await answered.Content.ReadAsStringAsync()))
        {
            Assert.Equal(Stories, completion.RootElement.GetProperty("model").GetString());
        }

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Model")).ToHaveValueAsync(Stories);
    }

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient http, string model) =>
        http.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new
        {
            model,
            messages = new[] { new { role = "user", content = "Once upon a time" } },
            max_tokens = 8,
        });
}
