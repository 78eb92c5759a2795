namespace Commons.Cli.Tests;

/// <summary>
/// <c>commons chat</c> flags with values that cannot work: one sentence naming the flag and what is
/// valid, exit code 2, before anything is said or saved.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatFlagBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_UnknownTemplate_ListsTheValidNamesAndSavesNothing()
    {
        var result = await ChatAsync("hello\n/quit\n", "--template", "bogus");

        BadInputAssert.OneSentence(result, "\"bogus\"", "--template", "chatml", "llama3");
        var after = await ChatAsync("/history\n/quit\n");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.True(after.StandardOutput.Contains("No conversations yet.", StringComparison.Ordinal), $"The refused chat saved a turn.\n{after}");
    }

    private Task<CommonsRunResult> ChatAsync(string input, params string[] args) =>
        CommonsExecutable.RunAsync(_scratch.Home, input, ["chat", "--model", SharedModels.Stories, .. args]);
}
