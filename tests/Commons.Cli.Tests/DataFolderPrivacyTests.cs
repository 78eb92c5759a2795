using System.Diagnostics;
using System.Runtime.Versioning;

namespace Commons.Cli.Tests;

/// <summary>
/// The data folder holds every chat, note and key: it and everything in it are private to the person
/// (folders 0700, files 0600) whatever the umask, and a folder found open is made private with one sentence.
/// </summary>
[Collection(CommonsCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class DataFolderPrivacyTests : IDisposable
{
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0b000_111_111;

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_FreshDataFolderUnderUmask000_FoldersAndFilesArePrivate()
    {
        var result = await RunUnderUmask000Async("hello\n/quit\n", "chat", "--model", SharedModels.Stories, "--max-tokens", "8");

        Assert.True(result.ExitCode == 0, result.ToString());
        var entries = Entries(_scratch.Home);
        Assert.Contains(entries, e => e.Name == "commons.db");
        Assert.All(entries, e => Assert.True((e.UnixFileMode & GroupAndOthers) == 0, $"{e.FullName} is {Mode(e)}, open to other accounts."));
        Assert.Equal(ModeOf(0b111_000_000), new DirectoryInfo(_scratch.Home).UnixFileMode);
    }

    [Fact]
    public async Task PlaybookList_DataFolderOpenToOthers_MakesItPrivateAndSaysSo()
    {
        var first = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");
        Assert.True(first.ExitCode == 0, first.ToString());
        var database = Path.Combine(_scratch.Home, "commons.db");
        File.SetUnixFileMode(_scratch.Home, ModeOf(0b111_101_101));
        File.SetUnixFileMode(database, ModeOf(0b110_100_100));
        var before = await File.ReadAllBytesAsync(database);

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var warning = result.StandardError.Trim();
        Assert.False(warning.Contains('\n', StringComparison.Ordinal), $"One sentence on standard error.\n{result}");
        Assert.Contains(_scratch.Home, warning, StringComparison.Ordinal);
        Assert.Contains("commons.db", warning, StringComparison.Ordinal);
        Assert.Contains("now private", warning, StringComparison.Ordinal);
        Assert.Equal(ModeOf(0b111_000_000), File.GetUnixFileMode(_scratch.Home));
        Assert.Equal(ModeOf(0b110_000_000), File.GetUnixFileMode(database));
        BadInputAssert.Unchanged(database, before);

        var again = await CommonsExecutable.RunAsync(_scratch.Home, "", "playbook", "list");
        Assert.True(again.StandardError.Trim().Length == 0, $"A private folder needs no sentence.\n{again}");
    }

    private static UnixFileMode ModeOf(int bits) => (UnixFileMode)bits;

    private static string Mode(FileSystemInfo entry) => Convert.ToString((int)entry.UnixFileMode, 8);

    private static List<FileSystemInfo> Entries(string folder) =>
        [.. new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)];

    /// <summary>Runs commons from a shell whose umask is 000, the most open a person's shell could have.</summary>
    private async Task<CommonsRunResult> RunUnderUmask000Async(string input, params string[] args)
    {
        var info = CommonsExecutable.StartInfo(_scratch.Home, args);
        var dotnet = info.FileName;
        info.FileName = "/bin/sh";
        info.ArgumentList.Insert(0, "-c");
        info.ArgumentList.Insert(1, "umask 000 && exec \"$0\" \"$@\"");
        info.ArgumentList.Insert(2, dotnet);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(CommonsExecutable.Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new CommonsRunResult("umask 000; commons " + string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }
}
