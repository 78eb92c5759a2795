using Commons.Abstractions.Hosting;
using Npgsql;

namespace Commons.Community.Hosting;

/// <summary>
/// A pool's topic logs live in its CommonsTopicLog table (a pool whose logs were in segment grains
/// has them copied there once, by the schema script, when it first starts with the table). A silo
/// started with <c>Pool:LogStore=segments</c> on such a pool would read none of them and hand their
/// positions to new artifacts: it refuses to start instead.
/// </summary>
internal static class LogStoreCheck
{
    public static async Task EnsureMatchesAsync(CommunitySiloOptions silo, PoolOptions pool, CancellationToken cancellationToken)
    {
        if (pool.LogStore != "segments")
        {
            return;
        }

        await using var connection = new NpgsqlConnection(PoolSchema.ForSilo(silo.ConnectionString));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM CommonsTopicLog WHERE ServiceId = @service)", connection);
        command.Parameters.AddWithValue("service", silo.ServiceId);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            throw new CommonsException(
                $"Pool:LogStore is segments, but the pool {silo.ServiceId} keeps its topic logs in its CommonsTopicLog table: started so, it would read none of them; start it with Pool:LogStore=table.");
        }
    }
}
