using System.Text.RegularExpressions;

namespace Commons.Cli.Tests;

/// <summary><c>commons bench serve</c> run as README.md shows it, small: its figures, their intervals, the verdict and the fairness check.</summary>
[Collection(CommonsCollection.Name)]
public sealed partial class BenchServeTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task BenchServe_SmallRun_PrintsBothCostsWithIntervalsVerdictAndEqualTokenCounts()
    {
        var result = await CommonsExecutable.RunAsync(_scratch.Home, "",
            "bench", "serve", "--model", SharedModels.TinyRandom, "--rounds", "4", "--warmup", "1", "--max-tokens", "48", "--seed", "7", "--context-size", "512");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n');
        Assert.Single(lines, l => TokensLine().IsMatch(l));
        Assert.Single(lines, l => FirstTokenLine().IsMatch(l));
        // Both paths wrote the same reply lengths, so the comparison is fair (the tiny random model never stops early).
        Assert.Contains("token counts: the same on both paths in all 4 pairs (48 tokens)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("warm-up", lines.Last(l => l.StartsWith("block", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^tokens/s: API [\d.]+ vs in process [\d.]+; API cost -?[\d.]+% \(95% interval -?[\d.]+% to -?[\d.]+%; ratio of means over 2 ABBA blocks\); goal at most 3%: (met|not met|not shown .*)$")]
    private static partial Regex TokensLine();

    [GeneratedRegex(@"^first token: API [\d.]+ ms vs in process [\d.]+ ms \(medians\); API cost -?[\d.]+ ms \(95% interval -?[\d.]+ to -?[\d.]+ ms; median of 2 paired blocks\); goal at most 5 ms: (met|not met|not shown .*)$")]
    private static partial Regex FirstTokenLine();
}
