using Commons.Cli.Tests;

namespace Commons.Serve.Tests;

/// <summary>
/// While <c>commons serve</c> runs, the other commands in another terminal talk to it for the same data folder
/// (as <c>ollama run</c> attaches to <c>ollama serve</c>) instead of failing on the folder's lock.
/// </summary>
public sealed class AttachTests
{
    [Fact]
    public async Task ChatPlaybookAndShare_WhileServeRuns_AttachToItAndSeeTheSameAgent()
    {
        string home;
        var environment = new Dictionary<string, string> { ["COMMONS_Sharing__PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies") };
        await using (var serve = await ServeProcess.StartAsync())
        {
            home = serve.Home;

            var chat = await CommonsExecutable.RunWithEnvironmentAsync(home, environment, "Once upon a time\n/fix be brief\n/quit\n", "chat");
            var playbook = await CommonsExecutable.RunWithEnvironmentAsync(home, environment, "", "playbook", "list");
            var share = await CommonsExecutable.RunWithEnvironmentAsync(home, environment, "", "share", "status");

            Assert.True(chat.ExitCode == 0, chat.ToString());
            Assert.Contains("attached to commons serve at " + serve.Url.ToString().TrimEnd('/'), chat.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("noted as playbook entry", chat.StandardOutput, StringComparison.Ordinal);
            Assert.True(playbook.ExitCode == 0, playbook.ToString());
            Assert.Contains("be brief", playbook.StandardOutput, StringComparison.Ordinal);
            Assert.True(share.ExitCode == 0, share.ToString());
            Assert.Contains("policy: commons-default", share.StandardOutput, StringComparison.Ordinal);
            Assert.True(serve.Process.StandardError.Length == 0 || !serve.Process.StandardError.Contains("   at ", StringComparison.Ordinal), serve.Process.StandardError);

            // Kept alive to the end of the block: the data folder is removed with it.
            var after = await CommonsExecutable.RunWithEnvironmentAsync(home, environment, "", "playbook", "list");
            Assert.Contains("be brief", after.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Chat_AttachedWithMaxTokens_RepliesStopThereThoughServeAllowsMoreAndALoadFlagIsSaidNotToApply()
    {
        // The serve allows 200 tokens a reply; the person asks this chat for 3.
        await using var serve = await ServeProcess.StartAsync();

        var chat = await CommonsExecutable.RunAsync(serve.Home, "Once upon a time\n/quit\n", "chat", "--max-tokens", "3", "--temperature", "0", "--context-size", "512");

        Assert.True(chat.ExitCode == 0, chat.ToString());
        Assert.Contains("attached to commons serve", chat.StandardOutput, StringComparison.Ordinal);
        // A flag that only loading the model takes cannot apply: one warning says so.
        Assert.Contains("--context-size does not apply", chat.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("--max-tokens, --temperature and --seed do not", chat.StandardError, StringComparison.Ordinal);
        var reply = chat.StandardOutput[(chat.StandardOutput.IndexOf("commons> ", StringComparison.Ordinal) + "commons> ".Length)..];
        // Each token starts at most one word.
        Assert.True(reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is > 0 and <= 3, $"The reply should stop after 3 tokens: \"{reply}\".\n{chat}");
    }

    [Fact]
    public async Task PlaybookList_AfterServeStopped_StartsItsOwnSiloOnTheSameData()
    {
        using var folder = new ScratchFolder();
        var environment = new Dictionary<string, string>
        {
            ["COMMONS_Sharing__PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies"),
            ["COMMONS_PoolSync__IntervalSeconds"] = "0",
            ["COMMONS_Tools__Enabled"] = "false",
        };
        var serve = RunningCommons.Start(folder.Home, environment, "serve", "--model", SharedModels.Stories, "--max-tokens", "64", "--urls", "http://127.0.0.1:0");
        await using (serve)
        {
            await serve.WaitForOutputLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var chat = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "Once upon a time\n/fix say fin\n/quit\n", "chat");
            Assert.True(chat.ExitCode == 0, chat.ToString());

            // Serve finishes the reflection that the /fix started (for up to 60 s) before it stops.
            serve.Interrupt();
            var stopped = await serve.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(0, stopped.ExitCode);
        }

        var playbook = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "", "playbook", "list");

        Assert.True(playbook.ExitCode == 0, playbook.ToString());
        Assert.Contains("say fin", playbook.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Home, "serve.json")), "serve removes its registration when it stops");
    }
}
