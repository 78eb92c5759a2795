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

    [Theory]
    [InlineData("--temperature", "abc", "a number from 0 to 5")]
    [InlineData("--max-tokens", "99999999999", "a whole number from 1 to 1048576")]
    [InlineData("--threads", "many", "a whole number from 0 to 1024")]
    public async Task Chat_FlagValueOfTheWrongKind_NamesTheFlagAndWhatIsValid(string flag, string value, string valid)
    {
        var result = await ChatAsync("hello\n/quit\n", flag, value);

        BadInputAssert.OneSentence(result, flag, $"\"{value}\"", valid);
        Assert.False(result.AllOutput.Contains("System.", StringComparison.Ordinal), $"A .NET type name was printed.\n{result}");
        Assert.False(result.AllOutput.Contains("Options:", StringComparison.Ordinal), $"The whole help was printed.\n{result}");
    }

    [Fact]
    public async Task Chat_ContextSizeTooSmall_IsRefusedWithTheMinimum()
    {
        var result = await ChatAsync("hello\n/quit\n", "--context-size", "5");

        BadInputAssert.OneSentence(result, "--context-size", "from 256");
    }

    [Fact]
    public async Task Chat_ContextSizeTooSmallInSettings_NamesTheSettingAndTheMinimum()
    {
        Directory.CreateDirectory(_scratch.Home);
        await File.WriteAllTextAsync(Path.Combine(_scratch.Home, "settings.json"), "{ \"Model\": { \"ContextSize\": 5 } }");

        var result = await ChatAsync("hello\n/quit\n");

        BadInputAssert.OneSentence(result, "Model:ContextSize", "from 256");
    }

    [Fact]
    public async Task Chat_UnknownModelName_ListsTheInstalledModels()
    {
        var models = Path.Combine(_scratch.Home, "models");
        Directory.CreateDirectory(models);
        // Written, not copied: a copy keeps the shared file's mode, open to other accounts.
        await File.WriteAllBytesAsync(Path.Combine(models, "tiny-stories.gguf"), await File.ReadAllBytesAsync(SharedModels.Stories));

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "hello\n/quit\n", "chat", "--model", "nosuchmodel");

        BadInputAssert.OneSentence(result, "\"nosuchmodel\"", "tiny-stories", "commons model list");
    }

    [Fact]
    public async Task Chat_UnknownModelNameWithNoneInstalled_SaysNoneIsInstalled()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "hello\n/quit\n", "chat", "--model", "nosuchmodel");

        BadInputAssert.OneSentence(result, "\"nosuchmodel\"", "no models are installed");
    }

    private Task<CommonsRunResult> ChatAsync(string input, params string[] args) =>
        CommonsExecutable.RunAsync(_scratch.Home, input, ["chat", "--model", SharedModels.Stories, .. args]);
}
