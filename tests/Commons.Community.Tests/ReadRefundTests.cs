using System.Net;
using Commons.Pools.Client;
using Commons.Tests.Shared;
using Npgsql;
using Orleans.Runtime;

namespace Commons.Community.Tests;

/// <summary>
/// A read the pool could not answer (503: here the topic cannot load while its database refuses
/// connections, as after a restart) costs the member nothing; the member retries and pays once.
/// </summary>
public sealed class ReadRefundTests
{
    private const string Topic = "home.heating";

    [PostgresFact]
    public async Task QueryAndDigest_WhenTheTopicCannotAnswer_CostNoRead()
    {
        await using var pool = await TestPool.StartAsync();
        using var counters = new PoolCounters(pool.Silo);
        var (member, key) = await pool.MemberAsync();
        await member.PublishAsync(Artifacts.Sign(key, Topic, "the heating stays on while away", "turn the thermostat down before leaving"));
        // Every idle grain collected: the topic must load from the database at its next call.
        await pool.Silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var before = (await member.GetMeAsync()).FreeReadsLeft;

        PoolApiException query, digest;
        await AllowConnectionsAsync(pool.Database, false);
        try
        {
            query = await Assert.ThrowsAsync<PoolApiException>(() => member.QueryAsync(Topic, "the heating"));
            digest = await Assert.ThrowsAsync<PoolApiException>(() => member.DigestAsync(Topic));
        }
        finally
        {
            await AllowConnectionsAsync(pool.Database, true);
        }

        var after = (await member.GetMeAsync()).FreeReadsLeft;
        await member.QueryAsync(Topic, "the heating");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, query.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, digest.Status);
        Assert.Equal(before, after);
        // The operator's read counts say so too: both refused reads were given back.
        Assert.Equal(2, counters["commons.pool.reads/refunded"]);
        Assert.Equal(before - 1, (await member.GetMeAsync()).FreeReadsLeft);
    }

    private static async Task AllowConnectionsAsync(string database, bool allow)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using (var server = new NpgsqlConnection(await TestPostgres.ServerAsync()))
        {
            await server.OpenAsync();
            await using var alter = new NpgsqlCommand(
                $"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {(allow ? "true" : "false")};"
                + $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND NOT {allow};", server);
            await alter.ExecuteNonQueryAsync();
        }

        // The silo's pooled connections to the database were closed by the server: start afresh.
        NpgsqlConnection.ClearAllPools();
    }
}
