namespace Commons.Cli.Tests;

/// <summary>
/// A settings file or a <c>COMMONS_</c> variable that cannot be used: one sentence naming the setting
/// (and the file or variable) and what is valid, exit code 2, even for commands that use no model.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class SettingsBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private string SettingsPath => Path.Combine(_scratch.Home, "settings.json");

    [Fact]
    public async Task PlaybookList_SettingsFileCutOff_NamesTheFileAndLeavesIt()
    {
        var before = await WriteSettingsAsync("{ \"Model\": { \"Temperature\": 0.7, \"MaxTokens\": 2");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");

        var sentence = BadInputAssert.OneSentence(result, SettingsPath);
        Assert.True(sentence.Contains("not valid JSON", StringComparison.Ordinal), $"Should say the file is not valid JSON.\n{result}");
        BadInputAssert.Unchanged(SettingsPath, before);
    }

    [Fact]
    public async Task PlaybookList_TemperatureIsAWord_NamesSettingFileAndRange()
    {
        var before = await WriteSettingsAsync("{ \"Model\": { \"Temperature\": \"hot\" } }");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");

        BadInputAssert.OneSentence(result, "Model:Temperature", SettingsPath, "\"hot\"", "a number from 0 to 5");
        BadInputAssert.Unchanged(SettingsPath, before);
    }

    [Fact]
    public async Task Chat_TemperatureVariableIsNotANumber_NamesTheVariable()
    {
        var environment = new Dictionary<string, string> { ["COMMONS_Model__Temperature"] = "abc" };

        var result = await CommonsExecutable.RunWithEnvironmentAsync(_scratch.Home, environment, "hello\n/quit\n", "chat", "--model", SharedModels.Stories);

        BadInputAssert.OneSentence(result, "COMMONS_Model__Temperature", "\"abc\"", "a number");
    }

    [Fact]
    public async Task PlaybookList_ToolsEnabledIsNotABoolean_SaysTrueOrFalse()
    {
        var environment = new Dictionary<string, string> { ["COMMONS_Tools__Enabled"] = "yes please" };

        var result = await CommonsExecutable.RunWithEnvironmentAsync(_scratch.Home, environment, "", "playbook", "list");

        BadInputAssert.OneSentence(result, "COMMONS_Tools__Enabled", "true or false");
    }

    [Fact]
    public async Task PlaybookList_MisspeltSectionAndKey_WarnsWithTheNearestKnownOnes()
    {
        await WriteSettingsAsync("{ \"Modle\": { \"Temperature\": 0.2 }, \"Agent\": { \"Lerning\": false } }");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");

        Assert.True(result.ExitCode == 0, $"An unknown key is a warning, not an error.\n{result}");
        var lines = result.StandardError.Trim().Split('\n');
        Assert.True(lines.Length == 2, $"One warning line per unknown key.\n{result}");
        Assert.Contains(lines, l => l.Contains("\"Modle\"", StringComparison.Ordinal) && l.Contains("did you mean \"Model\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"Agent:Lerning\"", StringComparison.Ordinal) && l.Contains("did you mean \"Agent:Learning\"", StringComparison.Ordinal));
    }

    private async Task<byte[]> WriteSettingsAsync(string json)
    {
        Directory.CreateDirectory(_scratch.Home);
        await File.WriteAllTextAsync(SettingsPath, json);
        return await File.ReadAllBytesAsync(SettingsPath);
    }
}
