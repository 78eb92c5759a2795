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

    [PostgresFact]
    public async Task Apply_OnAPoolFromBeforeTheMemberDirectory_ListsTheMembersItHadAdmitted()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            // A pool as it was: contributor grain states only, one admitted and one not, no directory rows.
            await using (var legacy = new NpgsqlCommand(
                """
                DELETE FROM CommonsMigrations;
                INSERT INTO OrleansStorage (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, ModifiedOn, Version)
                VALUES ('commons-pool', 1, 'contributor', 1, 0, 0, 'ed25519:admitted', convert_to('{"Admitted":true,"Contributions":3}', 'UTF8'), now(), 1),
                       ('commons-pool', 1, 'contributor', 2, 0, 0, 'ed25519:stranger', convert_to('{"Admitted":false}', 'UTF8'), now(), 1);
                """, connection))
            {
                await legacy.ExecuteNonQueryAsync();
            }

            await PoolSchema.ApplyAsync(database);

            await using var command = new NpgsqlCommand("SELECT MemberKey FROM CommonsMembers WHERE ServiceId = 'commons-pool'", connection);
            Assert.Equal("ed25519:admitted", await command.ExecuteScalarAsync());
            await using var count = new NpgsqlCommand("SELECT count(*) FROM CommonsMembers", connection);
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
