using Commons.Abstractions.Hosting;
using Commons.Pools.Client;

namespace Commons.Cli.Tests;

/// <summary><c>commons pool status</c>, <c>push</c> and <c>pull</c> as a person runs them, on a data folder that has joined a pool.</summary>
[Collection(CommonsCollection.Name)]
public sealed class PoolMemberCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("status")]
    [InlineData("push")]
    public async Task Pool_MemberKeyFileGone_SaysToJoinAgainAndMakesNoNewKey(string command)
    {
        // A pool admitted a key whose file has since been lost: a fresh key would be a stranger to it.
        var store = new PoolMembershipStore(new CommonsHome(_scratch.Home));
        var keyFile = Path.Combine(store.Folder, "0123456789abcdef.key");
        store.Save(new PoolMembership("http://127.0.0.1:5999", "ed25519:lost", keyFile, DateTimeOffset.UtcNow));

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", command);

        BadInputAssert.OneSentence(result, keyFile, "join again");
        Assert.False(File.Exists(keyFile), "no key may be made up for a pool that never admitted it");
    }

    [Theory]
    [InlineData("pull")]
    [InlineData("push")]
    public async Task Pool_PoolIsDown_OneSentenceNamingThePoolAndExitTwo(string command)
    {
        // For push with nothing queued too: nothing to send is no reason to say all went well.
        // A pool the person joined that no longer answers (nothing listens on the port).
        var store = new PoolMembershipStore(new CommonsHome(_scratch.Home));
        const string url = "http://127.0.0.1:9";
        using (var key = store.KeyFor(url, out var keyFile))
        {
            store.Save(new PoolMembership(url, key.KeyId, keyFile, DateTimeOffset.UtcNow));
        }

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", command);

        BadInputAssert.OneSentence(result, url, "could not be reached", "tried again");
        Assert.False(result.StandardOutput.Contains("sent 0", StringComparison.Ordinal), $"A push that reached no pool reported its counts as if it had.\n{result}");
    }
}
