using System.ComponentModel;
using System.Text;
using Commons.Tools.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>The person's notes, kept in SQLite with an FTS5 full-text index.</summary>
public sealed class NotesPlugin(ToolsDatabase database, PersonClock clock)
{
    public const string PluginName = "notes";

    [KernelFunction("add")]
    [Description("Saves a new note and returns it with its id.")]
    public async Task<Note> AddAsync(
        [Description("The text of the note")] string text,
        [Description("A short title; may be empty")] string title = "",
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ToolException("A note needs some text.");
        }

        var created = clock.Time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO notes(title, body, created) VALUES ($title, $body, $created) RETURNING id;";
        command.Parameters.AddWithValue("$title", title.Trim());
        command.Parameters.AddWithValue("$body", text.Trim());
        command.Parameters.AddWithValue("$created", SqlTime.Write(created));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new Note(id, title.Trim(), text.Trim(), clock.Format(created));
    }

    [KernelFunction("search")]
    [Description("Finds the notes that contain any of the given words (full-text search), best matches first.")]
    public async Task<IReadOnlyList<Note>> SearchAsync(
        [Description("Words to look for")] string query,
        [Description("The most notes to return")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        var match = MatchExpression(query);
        if (match.Length == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT n.id, n.title, n.body, n.created FROM notes_fts f JOIN notes n ON n.id = f.rowid
            WHERE notes_fts MATCH $match ORDER BY f.rank LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 50));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    [KernelFunction("list")]
    [Description("Lists the most recent notes, newest first.")]
    public async Task<IReadOnlyList<Note>> ListAsync(
        [Description("The most notes to return")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title, body, created FROM notes ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 200));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    [KernelFunction("delete")]
    [Description("Deletes a note by its id.")]
    public async Task<string> DeleteAsync(
        [Description("The id of the note to delete")] long id,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM notes WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0 ? $"Deleted note {id}." : throw new ToolException($"There is no note {id}.");
    }

    /// <summary>
    /// The person's words as an FTS5 query: each word quoted (so FTS syntax in the text cannot break
    /// the query), any of them matching, the last one also as a prefix.
    /// </summary>
    internal static string MatchExpression(string query)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in (query ?? "") + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        return string.Join(" OR ", words.Take(32).Select(w => "\"" + w + "\"" + (w.Length >= 3 ? "*" : "")));
    }

    private async Task<IReadOnlyList<Note>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var notes = new List<Note>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            notes.Add(new Note(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), clock.Format(SqlTime.Read(reader.GetString(3)))));
        }

        return notes;
    }
}
