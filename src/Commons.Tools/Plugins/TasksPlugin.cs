using System.ComponentModel;
using Commons.Tools.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>Tasks and reminders with due times, in the person's time zone.</summary>
public sealed class TasksPlugin(ToolsDatabase database, PersonClock clock)
{
    public const string PluginName = "tasks";

    [KernelFunction("add")]
    [Description("Adds a task; with a due time it is also a reminder.")]
    public async Task<TaskItem> AddAsync(
        [Description("What has to be done")] string title,
        [Description("When it is due, local time like 2025-03-01T14:30; empty for no date")] string due = "",
        [Description("Whether to remind the person when it falls due")] bool remind = true,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ToolException("A task needs a title.");
        }

        DateTimeOffset? when = string.IsNullOrWhiteSpace(due) ? null : clock.Parse(due, "due");
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO tasks(title, due, remind, created) VALUES ($title, $due, $remind, $created) RETURNING id;";
        command.Parameters.AddWithValue("$title", title.Trim());
        command.Parameters.AddWithValue("$due", when is { } w ? SqlTime.Write(w) : DBNull.Value);
        command.Parameters.AddWithValue("$remind", remind && when is not null ? 1 : 0);
        command.Parameters.AddWithValue("$created", SqlTime.Write(clock.Time.GetUtcNow()));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new TaskItem(id, title.Trim(), when is { } at ? clock.Format(at) : null, remind && when is not null, false);
    }

    [KernelFunction("list")]
    [Description("Lists tasks, the soonest due first.")]
    public async Task<IReadOnlyList<TaskItem>> ListAsync(
        [Description("Whether to include tasks already done")] bool includeDone = false,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title, due, remind, done FROM tasks WHERE $all OR done IS NULL ORDER BY due IS NULL, due, id;";
        command.Parameters.AddWithValue("$all", includeDone ? 1 : 0);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    [KernelFunction("complete")]
    [Description("Marks a task as done.")]
    public async Task<string> CompleteAsync(
        [Description("The id of the task")] long id,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE tasks SET done = $now WHERE id = $id AND done IS NULL;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", SqlTime.Write(clock.Time.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0
            ? $"Task {id} is done."
            : throw new ToolException($"There is no open task {id}.");
    }

    [KernelFunction("due")]
    [Description("Lists the open tasks that are due now or overdue.")]
    public async Task<IReadOnlyList<TaskItem>> DueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title, due, remind, done FROM tasks WHERE done IS NULL AND due IS NOT NULL AND due <= $now ORDER BY due, id;";
        command.Parameters.AddWithValue("$now", SqlTime.Write(clock.Time.GetUtcNow()));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reminders that have fallen due and were not shown yet, marked as shown: for the chat to
    /// print when it starts and between turns. Not a tool.
    /// </summary>
    public async Task<IReadOnlyList<TaskItem>> TakeDueRemindersAsync(CancellationToken cancellationToken = default)
    {
        var now = SqlTime.Write(clock.Time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE tasks SET reminded = $now
            WHERE done IS NULL AND remind = 1 AND reminded IS NULL AND due IS NOT NULL AND due <= $now
            RETURNING id, title, due, remind, done;
            """;
        command.Parameters.AddWithValue("$now", now);
        var items = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return items.OrderBy(i => i.Due, StringComparer.Ordinal).ToList();
    }

    private async Task<IReadOnlyList<TaskItem>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<TaskItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new TaskItem(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : clock.Format(SqlTime.Read(reader.GetString(2))),
                reader.GetInt64(3) == 1,
                !reader.IsDBNull(4)));
        }

        return items;
    }
}
