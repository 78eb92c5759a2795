using Commons.Cli.Tests;

namespace Commons.Serve.Tests;

/// <summary>A second <c>commons serve</c> started by mistake: one sentence says where the first one is, exit code 2.</summary>
[Collection(ServeCollection.Name)]
public sealed class SecondServeTests(ServeFixture fixture)
{
    [Fact]
    public async Task Serve_SameDataFolderWhileOneRuns_SaysWhereTheFirstListensAndExits2()
    {
        var first = fixture.Serve;

        var second = await CommonsExecutable.RunAsync(first.Home, "", "serve", "--model", SharedModels.Stories, "--urls", "http://127.0.0.1:0");

        Assert.True(second.ExitCode == 2, second.ToString());
        var error = second.StandardError.Trim();
        Assert.DoesNotContain('\n', error);
        Assert.Contains("already running", error, StringComparison.Ordinal);
        Assert.Contains(first.Url.ToString().TrimEnd('/'), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AddressAnotherServeListensOn_SaysSoInOneSentenceAndExits2()
    {
        var first = fixture.Serve;
        using var other = new ScratchFolder();
        var address = first.Url.ToString().TrimEnd('/');
        var environment = new Dictionary<string, string> { ["COMMONS_PoolSync__IntervalSeconds"] = "0", ["COMMONS_Tools__Enabled"] = "false" };

        var second = await CommonsExecutable.RunWithEnvironmentAsync(other.Home, environment, "", "serve", "--model", SharedModels.Stories, "--urls", address);

        Assert.True(second.ExitCode == 2, second.ToString());
        var error = second.StandardError.Trim();
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Contains(address, error, StringComparison.Ordinal);
        Assert.Contains("--urls", error, StringComparison.Ordinal);
    }
}
