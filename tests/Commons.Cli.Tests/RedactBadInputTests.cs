namespace Commons.Cli.Tests;

/// <summary><c>commons redact</c> given something that is not a text file: one sentence, exit code 2, nothing on standard output.</summary>
[Collection(CommonsCollection.Name)]
public sealed class RedactBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Redact_ModelFile_IsRefusedAsNotText()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "redact", SharedModels.Stories);

        BadInputAssert.OneSentence(result, SharedModels.Stories, "not UTF-8 text");
        Assert.True(result.StandardOutput.Length == 0, $"Binary data was printed.\n{result}");
    }

    [Fact]
    public async Task Redact_InvalidUtf8WithoutNul_IsRefusedAsNotText()
    {
        var file = _scratch.PathOf("latin1.txt");
        await File.WriteAllBytesAsync(file, [0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0xFE, 0x41]);

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "redact", file);

        BadInputAssert.OneSentence(result, file, "not UTF-8 text");
        Assert.True(result.StandardOutput.Length == 0, $"Something was printed.\n{result}");
    }

    [Fact]
    public async Task Redact_Folder_SaysItIsAFolder()
    {
        var folder = _scratch.PathOf("notes");
        Directory.CreateDirectory(folder);

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "redact", folder);

        BadInputAssert.OneSentence(result, folder, "is a folder");
    }

    [Fact]
    public async Task Redact_TextFile_StillRedacts()
    {
        var file = _scratch.PathOf("note.txt");
        await File.WriteAllTextAsync(file, "Mail jane.doe@example.com\n");

        var result = await CommonsExecutable.RunAsync(_scratch.Home, "", "redact", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("jane.doe@example.com", result.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("Mail ", result.StandardOutput, StringComparison.Ordinal);
    }
}
