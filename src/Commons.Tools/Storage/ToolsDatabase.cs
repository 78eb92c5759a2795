using Commons.Abstractions.Hosting;
using Microsoft.Data.Sqlite;

namespace Commons.Tools.Storage;

/// <summary>
/// The person's tool data (notes with a full-text index, tasks and reminders, calendar events) in
/// its own SQLite file beside the grain state, WAL journal. The schema is created on first use.
/// </summary>
public sealed class ToolsDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS notes (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            created TEXT NOT NULL);
        CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(title, body, content='notes', content_rowid='id');
        CREATE TRIGGER IF NOT EXISTS notes_ai AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER IF NOT EXISTS notes_ad AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER IF NOT EXISTS notes_au AFTER UPDATE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO notes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TABLE IF NOT EXISTS tasks (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            due TEXT NULL,
            remind INTEGER NOT NULL,
            reminded TEXT NULL,
            done TEXT NULL,
            created TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS tasks_due ON tasks(due) WHERE done IS NULL;
        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            all_day INTEGER NOT NULL DEFAULT 0,
            location TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '');
        CREATE INDEX IF NOT EXISTS events_start ON events(start);
        """;

    private readonly string _connectionString;
    private int _ready;

    public ToolsDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The file name used in the data folder.</summary>
    public const string FileName = "tools.db";

    public string FilePath { get; }

    public static ToolsDatabase ForHome(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return new ToolsDatabase(Path.Combine(home.Root, FileName));
    }

    /// <summary>An open connection, with the schema in place.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _ready) == 0)
        {
            DataFolderPrivacy.CreatePrivateFile(FilePath);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _ready) == 0)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Schema;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _ready, 1);
            }

            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new CommonsException($"The tool database {FilePath} is damaged or is not a SQLite file; move it aside to start afresh.", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
