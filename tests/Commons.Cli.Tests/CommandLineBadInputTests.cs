namespace Commons.Cli.Tests;

/// <summary>
/// A mistyped command line: an unknown subcommand names the word and the valid commands, a number flag
/// given a word names the flag and what it takes; one sentence, exit code 2, help one --help away.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class CommandLineBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("commons pool", "pool", "frobnicate", "push", "pull", "serve")]
    [InlineData("commons", "frobnicate", null, "chat", "pool", "serve")]
    [InlineData("commons model", "model", "frobnicate", "pull", "list", "rm")]
    public async Task UnknownSubcommand_NamesTheWordAndTheValidCommands(string path, string first, string? second, string valid1, string valid2, string valid3)
    {
        string[] args = second is null ? [first] : [first, second];

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", args);

        var sentence = BadInputAssert.OneSentence(result, "'frobnicate'", $"'{path}'", valid1, valid2, valid3, $"'{path} --help'");
        Assert.False(sentence.Contains("Required command", StringComparison.Ordinal), $"System.CommandLine's own words were printed.\n{result}");
    }

    [Theory]
    [InlineData(new[] { "pool", "pul" }, "'pul' is not a command of 'commons pool' (did you mean 'pull'?)")]
    [InlineData(new[] { "playbook", "lst" }, "'lst' is not a command of 'commons playbook' (did you mean 'list'?)")]
    [InlineData(new[] { "pool", "pull", "--topc", "weather.queries" }, "'commons pool pull' has no option --topc (did you mean '--topic'?).")]
    [InlineData(new[] { "pool", "push", "--frobnicate" }, "'commons pool push' has no option --frobnicate.")]
    public async Task Typo_IsNamedWithTheNearestValidWord(string[] args, string expected)
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", args);

        var sentence = BadInputAssert.OneSentence(result, expected);
        Assert.False(sentence.Contains("Unrecognized", StringComparison.Ordinal), $"System.CommandLine's own words were printed too.\n{result}");
    }

    [Fact]
    public async Task GroupWithoutSubcommand_SaysItNeedsOneAndListsThem()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool");

        var sentence = BadInputAssert.OneSentence(result, "'commons pool' needs a command", "join", "pull");
        Assert.False(sentence.Contains("Required command", StringComparison.Ordinal), $"System.CommandLine's own words were printed.\n{result}");
    }

    [Fact]
    public async Task Help_OfAGroup_StillPrintsItsCommands()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Commands:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("push", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "pool", "invite", "--admin-key", "none.key", "--uses", "abc" }, "--uses must be a whole number, not \"abc\"")]
    [InlineData(new[] { "pool", "invite", "--admin-key", "none.key", "--days", "soon" }, "--days must be a number, such as 7 or 0.5, not \"soon\"")]
    [InlineData(new[] { "pool", "serve", "--k", "two" }, "--k must be a whole number, not \"two\"")]
    [InlineData(new[] { "pool", "bench", "--rate", "1.5" }, "--rate must be a whole number, not \"1.5\"")]
    [InlineData(new[] { "bench", "playbook", "--entries", "99999999999" }, "--entries must be a whole number from -2147483648 to 2147483647")]
    public async Task NumberFlag_GivenSomethingElse_NamesTheFlagAndWhatItTakes(string[] args, string expected)
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", args);

        BadInputAssert.OneSentence(result, expected);
        Assert.False(result.AllOutput.Contains("System.", StringComparison.Ordinal), $"A .NET type name was printed.\n{result}");
    }
}
