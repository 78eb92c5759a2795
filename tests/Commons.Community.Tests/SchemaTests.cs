using Commons.Community.Hosting;
using Npgsql;

namespace Commons.Community.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void ForSilo_PreparesStatementsAndSkipsTheResetUnlessTheConnectionStringSaysOtherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PoolSchema.ForSilo("Host=db;Username=pool;Password=secret;Database=pool"));
        Assert.Equal(20, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("db", tuned.Host);
        Assert.Equal("secret", tuned.Password);

        var given = new NpgsqlConnectionStringBuilder(PoolSchema.ForSilo("Host=db;Database=pool;max auto prepare=0;NoResetOnClose=false"));
        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.False(given.NoResetOnClose);
    }

    [PostgresFact]
    public async Task Apply_Twice_IsIdempotentAndDefinesEveryNamedQuery()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await PoolSchema.ApplyAsync(database);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
            var keys = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            Assert.Equal(
                new[]
                {
                    "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
                    "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
                    "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
                }.Order(StringComparer.Ordinal),
                keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
