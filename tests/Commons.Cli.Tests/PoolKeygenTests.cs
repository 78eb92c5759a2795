using System.Runtime.Versioning;

namespace Commons.Cli.Tests;

/// <summary><c>commons pool keygen</c>: private keys go to the data folder's keys folder, never silently into a git work tree.</summary>
[Collection(CommonsCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class PoolKeygenTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Keygen_BareName_WritesTheKeyUnderKeysAndInviteFindsIt()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "keygen", "--out", "admin.key");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ed25519:", result.StandardOutput.Trim(), StringComparison.Ordinal);
        var key = Path.Combine(_scratch.Home, "keys", "admin.key");
        Assert.True(File.Exists(key), $"No key at {key}.\n{result}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Contains(key, result.StandardError, StringComparison.Ordinal);

        var invite = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "invite", "--admin-key", "admin.key");
        Assert.True(invite.ExitCode == 0, invite.ToString());
    }

    [Fact]
    public async Task Keygen_InsideAGitWorkTree_IsRefusedUnlessForced()
    {
        var repository = _scratch.PathOf("repository");
        Directory.CreateDirectory(Path.Combine(repository, ".git"));
        var key = Path.Combine(repository, "deploy", "admin.key");

        var refused = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "keygen", "--out", key);

        BadInputAssert.OneSentence(refused, key, "git work tree", "--force");
        Assert.False(File.Exists(key), "The key was written anyway.");

        var forced = await CommonsExecutable.RunAsync(_scratch.Home, "", "pool", "keygen", "--out", key, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.True(File.Exists(key), forced.ToString());
    }
}
