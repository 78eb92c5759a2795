namespace Commons.Cli.Tests;

/// <summary>Only one <c>commons</c> process may use a data folder at a time.</summary>
[Collection(CommonsCollection.Name)]
public sealed class DataFolderLockTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_SecondProcessOnTheSameFolder_ExitsWithOneSentenceAndTheFirstCarriesOn()
    {
        await using var first = RunningCommons.Start(_scratch.Home, "chat", "--model", SharedModels.Stories, "--max-tokens", "24");
        await first.WaitForOutputLineAsync(line => line.StartsWith("Commons ·", StringComparison.Ordinal), CommonsExecutable.Timeout);

        var second = await CommonsExecutable.RunAsync(_scratch.Home, "hello\n/quit\n", "chat", "--model", SharedModels.Stories, "--max-tokens", "24");

        var sentence = BadInputAssert.OneSentence(second, _scratch.Home);
        Assert.True(sentence.Contains("another commons process", StringComparison.OrdinalIgnoreCase), $"Should say another commons process is using the folder.\n{second}");

        first.CloseInput();
        var firstResult = await first.WaitForExitAsync(CommonsExecutable.Timeout);
        Assert.True(firstResult.ExitCode == 0, $"The first process should end normally once its input closes.\n{firstResult}");
        Assert.False(firstResult.StandardError.Contains("error:", StringComparison.OrdinalIgnoreCase), $"The first process reported an error.\n{firstResult}");
    }
}
