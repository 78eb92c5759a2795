using Commons.Community.Hosting;
using Npgsql;

namespace Commons.Community.Tests;

public sealed class SchemaTests
{
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
