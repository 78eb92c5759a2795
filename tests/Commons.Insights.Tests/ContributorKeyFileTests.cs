namespace Commons.Insights.Tests;

// File modes are what these tests are about; Windows has none (its ACLs protect keys instead).
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ContributorKeyFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-keyfile-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void TryCreate_NewFile_IsOwnerOnlyAndReadsBackTheSameKey()
    {
        var path = Path.Combine(_folder, "keys", "member.key");
        using var key = ContributorKey.Create();

        Assert.True(ContributorKeyFile.TryCreate(path, key));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var read = ContributorKeyFile.Read(path);
        Assert.Equal(key.KeyId, read.KeyId);
    }

    [Fact]
    public void TryCreate_KeyAlreadyThere_LeavesItAlone()
    {
        var path = Path.Combine(_folder, "admin.key");
        using var first = ContributorKey.Create();
        using var second = ContributorKey.Create();
        ContributorKeyFile.TryCreate(path, first);

        Assert.False(ContributorKeyFile.TryCreate(path, second));

        using var read = ContributorKeyFile.Read(path);
        Assert.Equal(first.KeyId, read.KeyId);
    }

    [Fact]
    public void Read_FileOthersCanRead_IsRefusedWithTheFix()
    {
        var path = Path.Combine(_folder, "open.key");
        using var key = ContributorKey.Create();
        ContributorKeyFile.TryCreate(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<InvalidDataException>(() => ContributorKeyFile.Read(path));

        Assert.Contains("not 600", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileOfTheWrongSize_IsRefused()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "short.key");
        File.WriteAllBytes(path, new byte[10]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<InvalidDataException>(() => ContributorKeyFile.Read(path));

        Assert.Contains("10 bytes, not 32", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
