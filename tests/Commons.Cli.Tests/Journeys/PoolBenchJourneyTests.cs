using System.Globalization;
using System.Text.RegularExpressions;
using Commons.Tests.Shared;
using Npgsql;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// A member measuring a pool silo the way the README says, with <c>commons pool bench --baseline</c>:
/// the silo with the topic log table and one with the segment grains take the same load in turns,
/// and every artifact either reports accepted is in its pool's log exactly once.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed partial class PoolBenchJourneyTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task PoolBench_WithBaseline_ReportsBothLogLayoutsAndTheirRatio_EveryAcceptedArtifactStoredOnce()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var bench = RunningCommons.Start(_scratch.Home, "pool", "bench", "--connection", database,
                "--seconds", "4", "--warmup", "0", "--rate", "150", "--query-rate", "5", "--members", "3", "--baseline");
            bench.CloseInput();
            var result = await bench.WaitForExitAsync(TimeSpan.FromSeconds(180));

            Assert.True(result.ExitCode == 0, result.ToString());
            var output = result.StandardOutput;
            Assert.Contains("table against segments, same run: sustained", output, StringComparison.Ordinal);
            var accepted = Accepted().Matches(output).ToDictionary(m => m.Groups["store"].Value, m => int.Parse(m.Groups["accepted"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(["segments", "table"], accepted.Keys.Order(StringComparer.Ordinal));
            Assert.All(accepted.Values, a => Assert.True(a > 100, output));
            Assert.DoesNotMatch(@"failed [1-9]", output);

            // The table silo's log holds each accepted artifact once, at positions 1..n of its topic.
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT count(*), count(DISTINCT Json),
                       (SELECT coalesce(sum(last), 0) FROM (SELECT max(Sequence) AS last FROM CommonsTopicLog WHERE ServiceId LIKE 'bench-%-table' GROUP BY Topic) t)
                FROM CommonsTopicLog WHERE ServiceId LIKE 'bench-%-table'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(accepted["table"], reader.GetInt64(0));
            Assert.Equal(accepted["table"], reader.GetInt64(1));
            Assert.Equal(accepted["table"], reader.GetInt64(2));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [GeneratedRegex(@"-- topic logs in (?<store>\w+)\nartifacts: offered \d+ in [\d.]+ s, accepted (?<accepted>\d+)")]
    private static partial Regex Accepted();
}
