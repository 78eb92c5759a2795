using System.Text.RegularExpressions;

namespace Commons.Cli.Tests;

/// <summary><c>commons chat</c> run as a real process with a tiny model: what a person sees.</summary>
[Collection(CommonsCollection.Name)]
public sealed partial class ChatCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_OneMessageThenQuit_PrintsAReplyAfterThePrompt()
    {
        var result = await ChatAsync("hello\n/quit\n");

        Assert.True(result.ExitCode == 0, $"Expected exit code 0.\n{result}");
        Assert.True(result.StandardOutput.Contains("Commons ·", StringComparison.Ordinal), $"No banner.\n{result}");
        Assert.False(string.IsNullOrWhiteSpace(ReplyAfterPrompt(result.StandardOutput)), $"The reply after 'commons>' is empty.\n{result}");
    }

    [Fact]
    public async Task Chat_HistoryInALaterRun_ShowsTheEarlierTurn()
    {
        var first = await ChatAsync("hello\n/quit\n");
        Assert.True(first.ExitCode == 0, $"First run: expected exit code 0.\n{first}");

        var second = await ChatAsync("/history\n/quit\n");

        Assert.True(second.ExitCode == 0, $"Second run: expected exit code 0.\n{second}");
        Assert.True(second.StandardOutput.Contains("you: hello", StringComparison.Ordinal), $"/history does not show the earlier turn.\n{second}");
        Assert.Single(ConversationRows(second.StandardOutput));
    }

    [Fact]
    public async Task Chat_NewThenHistoryThenOpen_ListsTwoConversationsAndSwitchesBack()
    {
        var result = await ChatAsync("hello\n/new\n/history\n/open 1\n/history\n/quit\n");

        Assert.True(result.ExitCode == 0, $"Expected exit code 0.\n{result}");
        var output = result.StandardOutput;
        var opened = output.IndexOf("Now in conversation 1", StringComparison.Ordinal);
        Assert.True(opened > 0, $"/open 1 did not say it switched to conversation 1.\n{result}");
        var openedLine = output[opened..].Split('\n')[0];
        Assert.True(openedLine.Contains("hello", StringComparison.Ordinal), $"/open 1 should name the conversation that began with 'hello'.\n{result}");

        // After /new: two conversations, the new (second) one is current.
        var before = ConversationRows(output[..opened]);
        Assert.True(before.Count == 2, $"/history after /new should list two conversations.\n{result}");
        Assert.Equal([(false, 1), (true, 2)], before);

        // After /open 1: the first is current again and its turn is shown.
        var afterText = output[opened..];
        var after = ConversationRows(afterText);
        Assert.True(after.Count == 2, $"/history after /open 1 should still list two conversations.\n{result}");
        Assert.Equal([(true, 1), (false, 2)], after);
        Assert.True(afterText.Contains("you: hello", StringComparison.Ordinal), $"/history after /open 1 should show the first conversation's turn.\n{result}");
    }

    [Fact]
    public async Task Chat_UnknownSlashCommand_PrintsAHintAndContinues()
    {
        var result = await ChatAsync("/frobnicate\nhello\n/quit\n");

        Assert.True(result.ExitCode == 0, $"Expected exit code 0.\n{result}");
        var output = result.StandardOutput;
        var hint = output.IndexOf("/frobnicate", StringComparison.Ordinal);
        Assert.True(hint >= 0, $"The unknown command was not named.\n{result}");
        var hintText = output[hint..];
        Assert.True(hintText.Contains("/quit", StringComparison.Ordinal) && hintText.Contains("/new", StringComparison.Ordinal), $"No hint about the commands that exist.\n{result}");
        var reply = output.IndexOf("commons>", hint, StringComparison.Ordinal);
        Assert.True(reply > hint, $"The chat did not go on to answer the next message.\n{result}");
        Assert.False(string.IsNullOrWhiteSpace(ReplyAfterPrompt(output[hint..])), $"The reply after 'commons>' is empty.\n{result}");
        Assert.False(result.AllOutput.Contains("Exception", StringComparison.Ordinal), $"An exception was printed.\n{result}");
    }

    private Task<CommonsRunResult> ChatAsync(string input) =>
        CommonsExecutable.RunAsync(_scratch.Home, input, "chat", "--model", SharedModels.Stories, "--max-tokens", "24");

    private static string ReplyAfterPrompt(string output)
    {
        var prompt = output.IndexOf("commons>", StringComparison.Ordinal);
        return prompt < 0 ? "" : output[(prompt + "commons>".Length)..].Split('\n')[0].Trim();
    }

    /// <summary>The rows of the /history tables in <paramref name="output"/>: (is current, number).</summary>
    private static List<(bool Current, int Number)> ConversationRows(string output) =>
        [.. HistoryRow().Matches(output).Select(m => (m.Groups["current"].Success, int.Parse(m.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"^[│|]\s*(?<current>\*)?\s*(?<number>\d+)\s*[│|]", RegexOptions.Multiline)]
    private static partial Regex HistoryRow();
}
