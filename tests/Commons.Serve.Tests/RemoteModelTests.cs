using Commons.Cli.Tests;

namespace Commons.Serve.Tests;

/// <summary>
/// The cloud-optional half: <c>commons chat --model-endpoint</c> uses another server's model (here a second
/// <c>commons serve</c>) through Microsoft.Extensions.AI.OpenAI, with learning on here, after asking once.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class RemoteModelTests(ServeFixture fixture)
{
    [Fact]
    public async Task Chat_WithModelEndpoint_AsksOnceThenChatsAndLearnsLocally()
    {
        using var folder = new ScratchFolder();
        var environment = new Dictionary<string, string>
        {
            ["COMMONS_Sharing__PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies"),
            ["COMMONS_Tools__Enabled"] = "false",
            ["COMMONS_PoolSync__IntervalSeconds"] = "0",
        };
        var endpoint = fixture.Serve.Endpoint.ToString();

        var first = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "y\nOnce upon a time\n/fix end with the end\n/quit\n",
            "chat", "--model-endpoint", endpoint, "--max-tokens", "20");
        var second = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "And then?\n/quit\n",
            "chat", "--model-endpoint", endpoint, "--max-tokens", "20");
        var playbook = await CommonsExecutable.RunWithEnvironmentAsync(folder.Home, environment, "", "playbook", "list");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("runs on another server", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("remote model stories260K", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("commons (remote)>", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("noted as playbook entry", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("runs on another server", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("commons (remote)>", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("end with", playbook.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WithModelEndpoint_ConsentRefused_SendsNothingAndExits2()
    {
        using var folder = new ScratchFolder();

        var result = await CommonsExecutable.RunAsync(folder.Home, "n\nsecret plans\n", "chat", "--model-endpoint", fixture.Serve.Endpoint.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("without your consent", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("commons (remote)>", result.StandardOutput, StringComparison.Ordinal);
    }
}
