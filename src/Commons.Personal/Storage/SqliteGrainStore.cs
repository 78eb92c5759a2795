using System.Reflection;
using Commons.Abstractions.Hosting;
using Microsoft.Data.Sqlite;

namespace Commons.Personal.Storage;

/// <summary>
/// The personal silo's SQLite database: checks that an existing file really is one, applies the
/// project's idempotent schema script (WAL journal), and gives the connection string Orleans uses.
/// Never deletes or rewrites a file it cannot read.
/// </summary>
public static class SqliteGrainStore
{
    /// <summary>The ADO.NET invariant Orleans maps to Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    private const string SchemaResource = "Commons.Personal.Sql.orleans-persistence.sql";

    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    /// <summary>Creates or upgrades the schema; a damaged or foreign file becomes a <see cref="CommonsException"/>.</summary>
    public static void EnsureSchema(string databasePath)
    {
        if (Directory.Exists(databasePath))
        {
            throw new CommonsException($"The database path {databasePath} is a folder, not a SQLite file.");
        }

        var script = ReadSchemaScript();
        DataFolderPrivacy.CreatePrivateFile(databasePath);
        try
        {
            using var connection = new SqliteConnection(ConnectionString(databasePath));
            connection.Open();
            using (var check = connection.CreateCommand())
            {
                // Reading the schema fails at once on a file that is not a SQLite database.
                check.CommandText = "PRAGMA quick_check(1);";
                var result = check.ExecuteScalar() as string;
                if (!string.Equals(result, "ok", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CommonsException($"The database {databasePath} is damaged (SQLite's integrity check failed); it was left as it is: move it aside to start afresh.");
                }
            }

            using var command = connection.CreateCommand();
            command.CommandText = script;
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw new CommonsException($"The database {databasePath} is damaged or is not a SQLite file; it was left as it is: move it aside to start afresh.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 14 or 8 or 23)
        {
            throw new CommonsException($"The database {databasePath} cannot be opened for writing: {ex.Message}", ex);
        }
    }

    private static string ReadSchemaScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"The schema script {SchemaResource} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
