using Commons.Abstractions.Hosting;
using Commons.Personal.Storage;
using Microsoft.Data.Sqlite;

namespace Commons.Personal.Tests;

/// <summary>
/// The schema script against the contract Orleans' ADO.NET provider relies on: the named queries,
/// their parameters, and the version checks that stop a stale grain from overwriting state.
/// </summary>
public sealed class SqliteGrainStoreTests : IDisposable
{
    private readonly TempHome _temp = new();

    public SqliteGrainStoreTests() => Directory.CreateDirectory(_temp.Root);

    private string Db => _temp.Home.DatabasePath;

    [Fact]
    public void EnsureSchema_NewFile_CreatesTablesQueriesAndWal()
    {
        SqliteGrainStore.EnsureSchema(Db);
        SqliteGrainStore.EnsureSchema(Db); // idempotent: runs at every start

        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('ReadFromStorageKey','WriteToStorageKey','ClearStorageKey');"));
    }

    [Fact]
    public void WriteQuery_FirstWriteThenMatchingVersion_VersionsAdvance()
    {
        SqliteGrainStore.EnsureSchema(Db);

        Assert.Equal(1L, Write(version: null, payload: [1]));
        Assert.Equal(2L, Write(version: 1, payload: [2]));
        var (payload, version) = Read();
        Assert.Equal([2], payload);
        Assert.Equal(2L, version);
    }

    [Fact]
    public void WriteQuery_StaleOrMissingVersion_ChangesNothing()
    {
        SqliteGrainStore.EnsureSchema(Db);
        Write(version: null, payload: [1]);
        Write(version: 1, payload: [2]);

        Assert.Null(Write(version: 1, payload: [9]));    // a stale grain
        Assert.Null(Write(version: null, payload: [9])); // a second activation that never read
        Assert.Equal([2], Read().Payload);
    }

    [Fact]
    public void ClearQuery_CurrentVersion_RemovesPayloadAndAdvancesVersion()
    {
        SqliteGrainStore.EnsureSchema(Db);
        Write(version: null, payload: [1]);

        Assert.Equal(2L, Run("ClearStorageKey", version: 1, payload: null));
        var (payload, version) = Read();
        Assert.Null(payload);
        Assert.Equal(2L, version);
        Assert.Null(Run("ClearStorageKey", version: 1, payload: null));
    }

    [Fact]
    public void EnsureSchema_FileIsNotSqlite_ThrowsAndLeavesFileUntouched()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(Db, garbage);

        var error = Assert.Throws<CommonsException>(() => SqliteGrainStore.EnsureSchema(Db));

        Assert.Contains(Db, error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(Db));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private long? Write(long? version, byte[] payload) => Run("WriteToStorageKey", version, payload);

    private (byte[]? Payload, long? Version) Read()
    {
        using var connection = Open();
        using var command = Command(connection, "ReadFromStorageKey", version: null, payload: null);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.IsDBNull(0) ? null : (byte[])reader[0], reader.GetInt64(1));
    }

    private long? Run(string queryKey, long? version, byte[]? payload)
    {
        using var connection = Open();
        using var command = Command(connection, queryKey, version, payload);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private SqliteCommand Command(SqliteConnection connection, string queryKey, long? version, byte[]? payload)
    {
        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        lookup.Parameters.AddWithValue("$key", queryKey);
        var command = connection.CreateCommand();
        command.CommandText = (string)lookup.ExecuteScalar()!;
        // The parameters the provider binds, named without a prefix as it does.
        command.Parameters.AddWithValue("GrainIdHash", 12345);
        command.Parameters.AddWithValue("GrainIdN0", 0L);
        command.Parameters.AddWithValue("GrainIdN1", 0L);
        command.Parameters.AddWithValue("GrainTypeHash", 678);
        command.Parameters.AddWithValue("GrainTypeString", "agent");
        command.Parameters.AddWithValue("GrainIdExtensionString", "owner");
        command.Parameters.AddWithValue("ServiceId", "commons-personal");
        command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("PayloadBinary", (object?)payload ?? DBNull.Value);
        return command;
    }

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(SqliteGrainStore.ConnectionString(Db));
        connection.Open();
        return connection;
    }
}
