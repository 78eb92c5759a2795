using System.Security.Cryptography;

namespace Commons.Cli.Tests;

/// <summary><c>commons model add|show|rm</c> and <c>chat --model NAME</c> as a person uses them, on the real tiny GGUF files.</summary>
[Collection(CommonsCollection.Name)]
public sealed class ModelManageCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Add_GgufFromDisk_IsHashedRegisteredAndUsableByName()
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(SharedModels.Stories)));

        var added = await RunAsync("", "model", "add", "tiny-stories", SharedModels.Stories);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains(sha256, added.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(SharedModels.Stories), "The original file should stay where it was.");
        var list = await RunAsync("", "model", "list");
        Assert.Contains("tiny-stories", list.StandardOutput, StringComparison.Ordinal);
        var chat = await RunAsync("Once upon a time\n/quit\n", "chat", "--model", "tiny-stories", "--max-tokens", "8");
        Assert.True(chat.ExitCode == 0, chat.ToString());
        Assert.Contains("model tiny-stories", chat.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_InstalledModel_ReadsItsFactsFromTheGgufHeader()
    {
        Assert.Equal(0, (await RunAsync("", "model", "add", "tiny-stories", SharedModels.Stories)).ExitCode);

        var result = await RunAsync("", "model", "show", "tiny-stories");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        foreach (var expected in new[] { "architecture llama", "quantisation F32", "context 2048 tokens (trained)", "chat template none in the file", "licence not stated in the file", "size 1.2 MB", "sha256 " })
        {
            Assert.True(lines.Any(l => l.StartsWith(expected, StringComparison.Ordinal)), $"model show should say \"{expected}\".\n{result}");
        }
    }

    [Fact]
    public async Task Remove_InstalledModel_IsGoneAndASecondRemoveNamesWhatIsInstalled()
    {
        Assert.Equal(0, (await RunAsync("", "model", "add", "tiny-stories", SharedModels.Stories)).ExitCode);
        Assert.Equal(0, (await RunAsync("", "model", "add", "tiny-random", SharedModels.TinyRandom)).ExitCode);

        var removed = await RunAsync("", "model", "rm", "tiny-stories");
        var again = await RunAsync("", "model", "rm", "tiny-stories");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.False(File.Exists(Path.Combine(_scratch.Home, "models", "tiny-stories.gguf")), "The model file is still there.");
        BadInputAssert.OneSentence(again, "\"tiny-stories\"", "tiny-random");
        Assert.True(File.Exists(SharedModels.Stories), "Removing an added model must not touch the file it was added from.");
    }

    [Theory]
    [InlineData("show")]
    [InlineData("rm")]
    public async Task ShowOrRemove_UnknownName_OneSentenceListingTheInstalledNames(string verb)
    {
        Assert.Equal(0, (await RunAsync("", "model", "add", "tiny-stories", SharedModels.Stories)).ExitCode);

        var result = await RunAsync("", "model", verb, "nosuchmodel");

        BadInputAssert.OneSentence(result, "\"nosuchmodel\"", "tiny-stories");
    }

    [Fact]
    public async Task Add_NotAGgufFile_OneSentenceAndNothingInstalled()
    {
        var notAModel = _scratch.PathOf("notes.gguf");
        await File.WriteAllTextAsync(notAModel, "these are my notes, not a model");

        var result = await RunAsync("", "model", "add", "notes", notAModel);

        BadInputAssert.OneSentence(result, notAModel, "not a GGUF");
        Assert.False(Directory.Exists(Path.Combine(_scratch.Home, "models")) && Directory.EnumerateFileSystemEntries(Path.Combine(_scratch.Home, "models")).Any(),
            "Something was installed from a file that is no model.");
    }

    [Fact]
    public async Task Add_NameAlreadyInstalled_OneSentenceAndTheInstalledModelUnchanged()
    {
        Assert.Equal(0, (await RunAsync("", "model", "add", "mine", SharedModels.Stories)).ExitCode);
        var installed = Path.Combine(_scratch.Home, "models", "mine.gguf");
        var before = await File.ReadAllBytesAsync(installed);

        var result = await RunAsync("", "model", "add", "mine", SharedModels.TinyRandom);

        BadInputAssert.OneSentence(result, "mine", "commons model rm mine");
        BadInputAssert.Unchanged(installed, before);
    }

    private Task<CommonsRunResult> RunAsync(string input, params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, input, args);
}
