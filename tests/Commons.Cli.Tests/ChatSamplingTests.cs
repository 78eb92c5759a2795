namespace Commons.Cli.Tests;

/// <summary>Replies are sampled afresh each time unless the person fixes the seed.</summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatSamplingTests : IDisposable
{
    private const string SameQuestionThreeTimes = "Once upon a time\n/new\nOnce upon a time\n/new\nOnce upon a time\n/quit\n";

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_SameQuestionWithoutSeed_GetsDifferentReplies()
    {
        var replies = await RepliesAsync();

        Assert.True(replies.Distinct(StringComparer.Ordinal).Count() > 1, "Three samples of the same question gave the same reply:\n" + string.Join('\n', replies));
    }

    [Fact]
    public async Task Chat_SameQuestionWithSeedFlag_GetsTheSameReply()
    {
        var replies = await RepliesAsync("--seed", "7");

        Assert.Single(replies.Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Chat_SeedSetting_MakesRepliesReproducible()
    {
        Directory.CreateDirectory(_scratch.Home);
        await File.WriteAllTextAsync(Path.Combine(_scratch.Home, "settings.json"), "{ \"Model\": { \"Seed\": 7 } }");

        var replies = await RepliesAsync();

        Assert.Single(replies.Distinct(StringComparer.Ordinal));
    }

    private async Task<List<string>> RepliesAsync(params string[] args)
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, SameQuestionThreeTimes, ["chat", "--model", SharedModels.Stories, "--max-tokens", "40", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var replies = result.StandardOutput.Split('\n').Where(l => l.StartsWith("commons> ", StringComparison.Ordinal)).ToList();
        Assert.True(replies.Count == 3, $"Expected three replies.\n{result}");
        return replies;
    }
}
