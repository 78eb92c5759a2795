namespace Commons.Cli.Tests;

/// <summary>Feedback in <c>commons chat</c>: acknowledged at once, with reflection after it in the background.</summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatFeedbackTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_GoodOnALongConversationWhenReflectionIsDue_AcknowledgesAndReflectsInTheBackgroundBeforeLeaving()
    {
        var turns = string.Concat(Enumerable.Range(1, 30).Select(i => $"What is on my calendar for day {i}?\n"));

        var result = await CommonsExecutable.RunWithEnvironmentAsync(_scratch.Home, new Dictionary<string, string> { ["COMMONS_Playbook__ReflectEvery"] = "1" },
            turns + "/good\n/quit\n", "chat", "--model", SharedModels.Stories, "--max-tokens", "4", "-v");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n');
        var thanks = Array.FindIndex(lines, l => l.Contains("Thanks, noted.", StringComparison.Ordinal));
        Assert.True(thanks >= 0, $"/good was not acknowledged.\n{result}");
        Assert.Contains("Reflecting on your recent feedback in the background", lines[thanks + 1], StringComparison.Ordinal);
        // Leaving let the reflection finish: its result is in the log, and nothing failed.
        Assert.Contains("Reflection proposed", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Reflection after feedback failed", result.StandardError, StringComparison.Ordinal);
    }
}
