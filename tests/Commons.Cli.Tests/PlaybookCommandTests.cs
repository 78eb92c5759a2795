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

    private Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, "", args);
}
