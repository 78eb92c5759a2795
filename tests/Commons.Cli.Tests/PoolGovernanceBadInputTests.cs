using Commons.Tests.Shared;

namespace Commons.Cli.Tests;

/// <summary>Bad input to the governance commands (<c>pool policy sign</c>, <c>serve --policy</c>, <c>report</c>, <c>forget</c>, <c>moderation</c>): one sentence and exit code 2.</summary>
[Collection(CommonsCollection.Name)]
public sealed class PoolGovernanceBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private async Task<string> KeygenAsync(string name) =>
        (await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "keygen", "--out", _scratch.PathOf(name))).StandardOutput.Trim();

    [Fact]
    public async Task PoolReport_UnknownReason_NamesTheReasons()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "report", "e1", "--reason", "boring");

        BadInputAssert.OneSentence(result, "--reason must be one of personal-data, spam, harmful, wrong");
    }

    [Fact]
    public async Task PoolForget_NoPoolJoined_SaysSo()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "forget");

        BadInputAssert.OneSentence(result, "You have joined no pool");
    }

    [Fact]
    public async Task PoolModeration_IdNotANumber_SaysWhatItWants()
    {
        await KeygenAsync("admin.key");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "moderation", "remove", "seven", "--admin-key", _scratch.PathOf("admin.key"));

        BadInputAssert.OneSentence(result, "seven is not a quarantine entry number");
    }

    [Fact]
    public async Task PoolPolicySign_PoliciesFolderDoesNotLoad_NamesTheFolder()
    {
        await KeygenAsync("admin.key");
        var missing = _scratch.PathOf("no-such-policies");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "policy", "sign", "--admin-key", _scratch.PathOf("admin.key"), "--policies", missing, "--out", _scratch.PathOf("p.json"));

        BadInputAssert.OneSentence(result, missing, "does not load");
        Assert.False(File.Exists(_scratch.PathOf("p.json")));
    }

    [Fact]
    public async Task PoolServe_PolicySignedByAnotherAdmin_DoesNotStart()
    {
        await KeygenAsync("admin.key");
        var other = (await KeygenAsync("other.key")).Split('\n')[^1].Trim();
        var signed = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "policy", "sign", "--admin-key", _scratch.PathOf("admin.key"),
            "--policies", PolicyFolder.Shipped, "--out", _scratch.PathOf("pool-policy.json"));
        Assert.Equal(0, signed.ExitCode);

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "serve", "--connection", "Host=127.0.0.1;Port=9;Username=nobody",
            "--admin", other, "--policy", _scratch.PathOf("pool-policy.json"), "--policies", PolicyFolder.Shipped);

        BadInputAssert.OneSentence(result, "is not signed by this pool's admin key", other);
    }
}
