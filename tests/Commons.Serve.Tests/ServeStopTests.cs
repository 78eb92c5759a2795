using Commons.Cli.Tests;

namespace Commons.Serve.Tests;

/// <summary>
/// Ctrl-C on <c>commons serve</c> while a reflection after feedback still runs: serve says what it is finishing,
/// and a second Ctrl-C stops it at once with the data folder sound (that reflection's result is not saved).
/// </summary>
public sealed class ServeStopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Serve_CtrlCWhileReflecting_SaysWhatItFinishesAndASecondCtrlCStopsAtOnce()
    {
        using var folder = new ScratchFolder();
        var environment = new Dictionary<string, string>
        {
            ["COMMONS_PoolSync__IntervalSeconds"] = "0",
            ["COMMONS_Tools__Enabled"] = "false",
            ["COMMONS_Sharing__PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies"),
            // Every feedback starts a reflection.
            ["COMMONS_Playbook__ReflectEvery"] = "1",
        };
        // The random-weights model rarely ends a reply by itself: with room for 20000 tokens on one thread, a
        // reflection writes for many seconds, long enough to be interrupted.
        var serve = RunningCommons.Start(folder.Home, environment, "serve", "--model", SharedModels.TinyRandom, "--context-size", "32768", "--max-tokens", "20000", "--threads", "1", "--urls", "http://127.0.0.1:0");
        await using (serve)
        {
            await serve.WaitForOutputLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Wait);
            var chat = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "Once upon a time\n/fix keep it short\n/quit\n", "chat", "--max-tokens", "4");
            Assert.True(chat.ExitCode == 0, chat.ToString());
            Assert.Contains("Reflecting on your recent feedback", chat.StandardOutput, StringComparison.Ordinal);

            serve.Interrupt();
            await serve.WaitForErrorLineAsync(l => l.Contains("finishing reflection", StringComparison.Ordinal) && l.Contains("Ctrl-C again", StringComparison.Ordinal), Wait);
            serve.Interrupt();
            // At once: well within the minute serve would otherwise give the reflection.
            var stopped = await serve.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.True(stopped.ExitCode == 0, stopped.ToString());
            Assert.Contains("was not saved", stopped.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stopped.StandardError, StringComparison.Ordinal);
        }

        // The data folder is sound: the correction the person gave is there, and the commands work on it.
        var playbook = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "", "playbook", "list");
        Assert.True(playbook.ExitCode == 0, playbook.ToString());
        Assert.Contains("keep it", playbook.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Home, "serve.json")), "serve removes its registration when it stops");
    }
}
