using System.Globalization;
using System.Text.RegularExpressions;

namespace Commons.Cli.Tests;

/// <summary><c>commons bench generation</c> run as README.md shows it, small: each phase's overhead with its interval.</summary>
[Collection(CommonsCollection.Name)]
public sealed partial class BenchGenerationTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task BenchGeneration_SmallRun_PrintsEachPhasesOverheadInsideItsInterval()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "",
            "bench", "generation", "--model", SharedModels.TinyRandom, "--rounds", "3", "--max-tokens", "16", "--seed", "7", "--context-size", "512");

        Assert.True(result.ExitCode == 0, result.ToString());
        var overheads = OverheadLine().Matches(result.StandardOutput);
        Assert.True(overheads.Count == 2, $"Expected one overhead line per phase.\n{result}");
        foreach (Match line in overheads)
        {
            var (value, low, high) = (Number(line, "value"), Number(line, "low"), Number(line, "high"));
            Assert.True(low <= value && value <= high, $"The median of the paired rounds lies outside its own bootstrap interval: {line.Value}");
        }
    }

    [Fact]
    public async Task BenchGeneration_ReplyBudgetBeyondTheWindow_EndsAtTheWindowOnBothPaths()
    {
        // A reply budget far past a 256-token window: the plain LLamaSharp baseline ended with an
        // unhandled ContextOverflowException (exit 134); both paths now stop where the window is full.
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "",
            "bench", "generation", "--model", SharedModels.TinyRandom, "--rounds", "1", "--max-tokens", "30000", "--seed", "7", "--context-size", "256");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Exception", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(result.StandardOutput, "^overhead of the commons ", RegexOptions.Multiline).Count);
    }

    private static double Number(Match line, string group) => double.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^overhead of the commons .+: (?<value>-?[\d.]+)% \(95% interval (?<low>-?[\d.]+)% to (?<high>-?[\d.]+)%; median of 3 paired rounds;", RegexOptions.Multiline)]
    private static partial Regex OverheadLine();
}
