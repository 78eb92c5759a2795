namespace Commons.Cli.Tests;

/// <summary>
/// A reply budget larger than the context window (<c>--max-tokens</c> above <c>--context-size</c>): the reply
/// runs to the window's end with a note saying so, and the chat goes on; it used to end the program with LLamaSharp's
/// ContextOverflowException and a stack trace. The random tiny model, sampled greedily, writes on without an
/// end-of-turn token, so the window does fill.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatContextEndTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_MaxTokensBeyondTheContextWindow_EndsTheReplyAtTheWindowAndChatsOn()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "hello\nand then?\n/history\n/quit\n",
            "chat", "--model", SharedModels.TinyRandom, "--max-tokens", "30000", "--context-size", "256", "--temperature", "0", "--seed", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(result.AllOutput.Contains("   at ", StringComparison.Ordinal), $"A stack trace was printed.\n{result}");
        Assert.False(result.AllOutput.Contains("ContextOverflow", StringComparison.Ordinal), $"The overflow reached the person.\n{result}");
        var replies = result.StandardOutput.Split('\n').Where(l => l.StartsWith("commons> ", StringComparison.Ordinal)).ToList();
        Assert.True(replies.Count == 2, $"Expected a reply to each message.\n{result}");
        Assert.All(replies, r => Assert.True(r.Length > "commons> ".Length, $"An empty reply.\n{result}"));
        // Each reply ran into the end of the window, and the person is told so under it.
        var notes = result.StandardOutput.Split('\n').Count(l => l == "(reply cut: the model's context window of 256 tokens is full; --context-size sets a larger one)");
        Assert.True(notes == 2, $"Expected the note under both replies.\n{result}");
        // Both turns are kept, neither marked as stopped: the history lists them.
        Assert.Contains("you: hello", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("you: and then?", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("(stopped)", result.StandardOutput, StringComparison.Ordinal);
    }
}
