using Commons.Abstractions.Hosting;
using Npgsql;

namespace Commons.Community.Hosting;

/// <summary>
/// A pool's topic logs live in one place (<see cref="PoolOptions.LogStore"/>): the CommonsTopicLog table,
/// or segment grains in grain storage. A silo started with the other setting would read none of them,
/// and hand their positions to new artifacts: it refuses to start instead.
/// </summary>
internal static class LogStoreCheck
{
    // The state name of ArtifactSegmentGrain's storage, which grain storage records as GrainTypeString.
    private const string SegmentGrainType = "segment";

    public static async Task EnsureMatchesAsync(CommunitySiloOptions silo, PoolOptions pool, CancellationToken cancellationToken)
    {
        var segments = pool.LogStore == "segments";
        var (table, query) = segments
            ? ("its CommonsTopicLog table", "SELECT EXISTS (SELECT 1 FROM CommonsTopicLog WHERE ServiceId = @service)")
            : ("segment grains (Pool:LogStore=segments)", "SELECT EXISTS (SELECT 1 FROM OrleansStorage WHERE ServiceId = @service AND GrainTypeString = @segment)");
        await using var connection = new NpgsqlConnection(PoolSchema.ForSilo(silo.ConnectionString));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(query, connection);
        command.Parameters.AddWithValue("service", silo.ServiceId);
        command.Parameters.AddWithValue("segment", SegmentGrainType);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            throw new CommonsException(
                $"Pool:LogStore is {pool.LogStore}, but the pool {silo.ServiceId} keeps its topic logs in {table}: started so, it would read none of them; start it with Pool:LogStore={(segments ? "table" : "segments")}.");
        }
    }
}
