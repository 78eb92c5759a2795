using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Commons.Cli.Tests;

/// <summary>What a person sees in <c>commons chat</c>: the list of commands, plain sentences instead of log lines, and how Ctrl-C leaves.</summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatScreenTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_Help_ListsEveryChatCommandOnItsOwnLine()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "/help\n/quit\n", "chat", "--model", SharedModels.Stories);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n');
        foreach (var command in new[] { "/good, /bad", "/fix TEXT", "/reflect", "/why", "/pools", "/new", "/history", "/open N", "/quit", "Ctrl-C" })
        {
            Assert.True(lines.Any(l => l.StartsWith(command + " ", StringComparison.Ordinal)), $"/help should list {command} on its own line.\n{result}");
        }
    }

    [Fact]
    public async Task Chat_FirstScreen_HasNoLogLinesButSaysTheTemplateIsAFallback()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "/quit\n", "chat", "--model", SharedModels.Stories);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(result.AllOutput.Contains("warn:", StringComparison.Ordinal), $"A log line was shown without -v.\n{result}");
        Assert.True(result.StandardOutput.Contains("no chat template", StringComparison.Ordinal), $"The missing template should be said in a sentence.\n{result}");
    }

    [Fact]
    public async Task Chat_Verbose_ShowsTheLogLines()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "/quit\n", "chat", "--model", SharedModels.Stories, "-v");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.StandardError.Contains("warn:", StringComparison.Ordinal), $"-v should show the log.\n{result}");
    }

    [Fact]
    public async Task Chat_CtrlCAtIdlePrompt_SaysHowToLeaveAndASecondOneLeavesKeepingTheConversation()
    {
        await using (var chat = RunningCommons.Start(_scratch.Home, "chat", "--model", SharedModels.Stories, "--max-tokens", "16"))
        {
            // /history prints only once the reply has ended: the prompt is idle after it.
            await chat.WriteAsync("Once upon a time\n/history\n");
            await chat.WaitForOutputLineAsync(l => l.StartsWith("commons: ", StringComparison.Ordinal), Wait);

            chat.Interrupt();
            await chat.WaitForOutputLineAsync(l => l.Contains("To leave, press Ctrl-C again", StringComparison.Ordinal), Wait);
            chat.Interrupt();
            var result = await chat.WaitForExitAsync(Wait);

            Assert.True(result.ExitCode == 0, $"A second Ctrl-C at the prompt should leave normally.\n{result}");
        }

        var after = await CommonsExecutable.RunAsync(_scratch.Home, "/history\n/quit\n", "chat", "--model", SharedModels.Stories);
        Assert.True(after.StandardOutput.Contains("you: Once upon a time", StringComparison.Ordinal), $"The conversation was lost.\n{after}");
    }

    [Fact]
    public async Task Chat_CtrlCDuringAReply_TheHistoryKeepsExactlyWhatTheScreenShowed()
    {
        await using (var chat = RunningCommons.Start(_scratch.Home, "chat", "--model", SharedModels.Stories, "--max-tokens", "3000", "--context-size", "4096"))
        {
            await chat.WriteAsync("Once upon a time\n");
            await chat.WaitForOutputLineAsync(l => l.StartsWith("commons> ", StringComparison.Ordinal) && l.Length > 12, Wait);
            chat.Interrupt();
            await chat.WaitForOutputLineAsync(l => l == "(reply stopped)", Wait);
            await chat.WriteAsync("/quit\n");
            chat.CloseInput();
            var result = await chat.WaitForExitAsync(Wait);
            Assert.True(result.ExitCode == 0, result.ToString());

            var screen = result.StandardOutput;
            var start = screen.LastIndexOf("commons> ", StringComparison.Ordinal) + "commons> ".Length;
            var shown = screen[start..screen.IndexOf("\n(reply stopped)", start, StringComparison.Ordinal)];
            var (reply, interrupted) = LastTurn(Path.Combine(_scratch.Home, "commons.db"));
            Assert.Equal(shown, reply);
            Assert.True(interrupted, "The turn should be marked as stopped.");
        }
    }

    [Fact]
    public async Task Chat_QuitWhileReflecting_SaysWhatItFinishesAndCtrlCStopsAtOnce()
    {
        // Every feedback starts a reflection; the random-weights model rarely ends a reply by itself, so with room
        // for 20000 tokens on one thread the reflection writes for many seconds.
        var environment = new Dictionary<string, string> { ["COMMONS_Playbook__ReflectEvery"] = "1", ["COMMONS_Tools__Enabled"] = "false", ["COMMONS_PoolSync__IntervalSeconds"] = "0" };
        await using (var chat = RunningCommons.Start(_scratch.Home, environment, "chat", "--model", SharedModels.TinyRandom, "--context-size", "32768", "--max-tokens", "20000", "--threads", "1"))
        {
            await chat.WriteAsync("Once upon a time\n");
            await chat.WaitForOutputLineAsync(l => l.StartsWith("commons> ", StringComparison.Ordinal) && l.Length > 12, Wait);
            chat.Interrupt();
            await chat.WaitForOutputLineAsync(l => l == "(reply stopped)", Wait);
            await chat.WriteAsync("/fix keep it short\n/quit\n");

            await chat.WaitForErrorLineAsync(l => l.Contains("finishing reflection", StringComparison.Ordinal) && l.Contains("press Ctrl-C to stop now", StringComparison.Ordinal), Wait);
            chat.Interrupt();
            var result = await chat.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("was not saved", result.StandardError, StringComparison.Ordinal);
        }

        var playbook = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");
        Assert.True(playbook.ExitCode == 0, playbook.ToString());
        Assert.Contains("keep it", playbook.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>The last turn the agent saved, read from its grain state in the data folder's database.</summary>
    private static (string Reply, bool Interrupted) LastTurn(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'agent'";
        using var state = JsonDocument.Parse((byte[])command.ExecuteScalar()!);
        var turn = state.RootElement.GetProperty("Conversations").EnumerateArray().Last().GetProperty("Turns").EnumerateArray().Last();
        return (turn.GetProperty("Reply").GetString()!, turn.GetProperty("Interrupted").GetBoolean());
    }
}
