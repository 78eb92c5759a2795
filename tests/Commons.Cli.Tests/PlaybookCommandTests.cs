using System.Text.Json;

namespace Commons.Cli.Tests;

/// <summary><c>commons playbook</c> as a person reads its output.</summary>
[Collection(CommonsCollection.Name)]
public sealed class PlaybookCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Export_AddedAndRetiredEntries_ShowsOriginAndStatusByName()
    {
        var added = await RunAsync("playbook", "add", "--when", "I ask for a recipe", "--advice", "ask about allergies first");
        Assert.True(added.ExitCode == 0, added.ToString());
        var second = await RunAsync("playbook", "add", "--when", "I ask about the weather", "--advice", "give the forecast for today");
        Assert.True(second.ExitCode == 0, second.ToString());
        var retired = await RunAsync("playbook", "retire", "e2");
        Assert.True(retired.ExitCode == 0, retired.ToString());

        var export = await RunAsync("playbook", "export");

        Assert.True(export.ExitCode == 0, export.ToString());
        using var json = JsonDocument.Parse(export.StandardOutput);
        var entries = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("Owner", e.GetProperty("Origin").GetString()));
        Assert.Equal(["Active", "Retired"], entries.Select(e => e.GetProperty("Status").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ShowAndList_FixEntry_CountersSayWhatTheyAreAndAgreeWithUsed()
    {
        var chat = await CommonsExecutable.RunAsync(_scratch.Home, "What should I cook tonight?\n/fix ask about allergies first\n/quit\n",
            "chat", "--model", SharedModels.Stories, "--max-tokens", "8");
        Assert.True(chat.ExitCode == 0, chat.ToString());
        var id = System.Text.RegularExpressions.Regex.Match(chat.StandardOutput, @"playbook entry (e\d+)").Groups[1].Value;
        Assert.False(id.Length == 0, $"/fix should name the entry it made.\n{chat}");

        var show = await RunAsync("playbook", "show", id);
        var list = await RunAsync("playbook", "list");

        Assert.True(show.ExitCode == 0 && list.ExitCode == 0, show + "\n" + list);
        var lines = show.StandardOutput.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        // Never used, so nothing "worked": the 2 is the owner's word, and the display says so.
        Assert.Contains("used in 0 replies", lines);
        Assert.Contains("evidence for / against 2 / 0 (your correction counts as 2 for)", lines);
        Assert.DoesNotContain("worked", show.StandardOutput + list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("a /fix counts as 2 for", list.StandardOutput.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, "", args);
}
