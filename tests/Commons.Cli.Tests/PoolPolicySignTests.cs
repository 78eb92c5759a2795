namespace Commons.Cli.Tests;

/// <summary><c>commons pool policy sign</c> as an admin runs it: what it prints of the policy it signed.</summary>
[Collection(CommonsCollection.Name)]
public sealed class PoolPolicySignTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("1", "suspension after 1 violation")]
    [InlineData("2", "suspension after 2 violations")]
    [InlineData("0", "suspension after no number of violations")]
    public async Task Sign_SuspendAfter_SaysTheRuleInPlainEnglish(string suspendAfter, string expected)
    {
        Journeys.PoolHost.Succeeded(await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "keygen", "--out", _scratch.PathOf("admin.key")));

        var signed = Journeys.PoolHost.Succeeded(await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "policy", "sign",
            "--admin-key", _scratch.PathOf("admin.key"), "--suspend-after", suspendAfter, "--out", _scratch.PathOf("pool-policy.json")));

        var rule = Assert.Single(signed.StandardOutput.Split('\n'), l => l.Contains("suspension after", StringComparison.Ordinal));
        Assert.EndsWith(expected, rule.TrimEnd(), StringComparison.Ordinal);
    }
}
