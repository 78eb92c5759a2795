using Commons.Community.Hosting;
using Commons.Tests.Shared;

namespace Commons.Community.Tests;

/// <summary>Fresh databases with the pool schema on the test PostgreSQL server (one per test fixture).</summary>
internal static class PostgresServer
{
    public const string Variable = TestPostgres.Variable;

    /// <summary>Creates an empty database with the pool schema applied; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync(maxPoolSize: 60);
        await PoolSchema.ApplyAsync(database);
        return database;
    }

    public static Task DropDatabaseAsync(string connectionString) => TestPostgres.DropDatabaseAsync(connectionString);
}
