using System.ComponentModel;
using System.Globalization;
using Commons.Tools.Calendar;
using Commons.Tools.Files;
using Commons.Tools.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>The person's calendar in SQLite, with .ics import and export inside the allowed folders.</summary>
public sealed class CalendarPlugin(ToolsDatabase database, PersonClock clock, AllowedFolders folders)
{
    public const string PluginName = "calendar";

    [KernelFunction("create")]
    [Description("Creates a calendar event.")]
    public async Task<EventItem> CreateAsync(
        [Description("What the event is")] string title,
        [Description("When it starts, local time like 2025-03-01T14:30")] string start,
        [Description("How long it lasts, in minutes")] int durationMinutes = 60,
        [Description("Where it is; may be empty")] string location = "",
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ToolException("An event needs a title.");
        }

        if (durationMinutes is < 1 or > 60 * 24 * 31)
        {
            throw new ToolException("durationMinutes must be between 1 and 44640 (31 days).");
        }

        var begin = clock.Parse(start, "start");
        var e = new CalendarEvent(Guid.NewGuid().ToString("N") + "@commons", title.Trim(), begin, begin.AddMinutes(durationMinutes), false, location.Trim());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var id = await InsertAsync(connection, e, cancellationToken).ConfigureAwait(false);
        return ToItem(id, e);
    }

    [KernelFunction("list")]
    [Description("Lists the events between two dates (local), in order.")]
    public async Task<IReadOnlyList<EventItem>> ListAsync(
        [Description("First day, like 2025-03-01; empty for today")] string from = "",
        [Description("Last day (included), like 2025-03-07; empty for a week after the first day")] string to = "",
        CancellationToken cancellationToken = default)
    {
        var (begin, end) = Range(from, to);
        var events = await BetweenAsync(begin, end, cancellationToken).ConfigureAwait(false);
        return events.Select(x => ToItem(x.Id, x.Event)).ToList();
    }

    [KernelFunction("free_slots")]
    [Description("Finds free stretches of at least the given length on one day, within working hours.")]
    public async Task<IReadOnlyList<FreeSlot>> FindFreeSlotsAsync(
        [Description("The day, like 2025-03-01; empty for today")] string date = "",
        [Description("The shortest useful slot, in minutes")] int minutes = 30,
        [Description("When the day starts, like 09:00")] string dayStart = "09:00",
        [Description("When the day ends, like 17:00")] string dayEnd = "17:00",
        CancellationToken cancellationToken = default)
    {
        var day = string.IsNullOrWhiteSpace(date) ? clock.Now.Date : clock.Parse(date, "date").Date;
        var open = clock.Local(day + ParseClock(dayStart, "dayStart"));
        var close = clock.Local(day + ParseClock(dayEnd, "dayEnd"));
        if (close <= open)
        {
            throw new ToolException("dayEnd must be after dayStart.");
        }

        var need = TimeSpan.FromMinutes(Math.Clamp(minutes, 1, 24 * 60));
        var busy = await BetweenAsync(open, close, cancellationToken).ConfigureAwait(false);
        var slots = new List<FreeSlot>();
        var cursor = open;
        foreach (var e in busy.Select(b => b.Event).OrderBy(b => b.Start))
        {
            if (e.Start - cursor >= need)
            {
                slots.Add(Slot(cursor, e.Start));
            }

            if (e.End > cursor)
            {
                cursor = e.End;
            }
        }

        if (close - cursor >= need)
        {
            slots.Add(Slot(cursor, close));
        }

        return slots;
    }

    [KernelFunction("import_ics")]
    [Description("Imports the events of an .ics file inside the allowed folders; events already imported (same UID) are updated.")]
    public async Task<string> ImportIcsAsync(
        [Description("The .ics file's path")] string path,
        CancellationToken cancellationToken = default)
    {
        var file = folders.Resolve(path);
        if (!File.Exists(file))
        {
            throw new ToolException($"There is no file {path}.");
        }

        var events = IcsCalendar.Read(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), clock.Zone);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            await InsertAsync(connection, e, cancellationToken, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"Imported {events.Count} event(s).");
    }

    [KernelFunction("export_ics")]
    [Description("Writes the events between two dates to an .ics file inside the allowed folders.")]
    public async Task<string> ExportIcsAsync(
        [Description("The .ics file to write")] string path,
        [Description("First day, like 2025-03-01; empty for today")] string from = "",
        [Description("Last day (included); empty for a week after the first day")] string to = "",
        CancellationToken cancellationToken = default)
    {
        var file = folders.Resolve(path);
        if (!file.EndsWith(".ics", StringComparison.OrdinalIgnoreCase))
        {
            throw new ToolException("The file name must end in .ics.");
        }

        var (begin, end) = Range(from, to);
        var events = await BetweenAsync(begin, end, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(file, IcsCalendar.Write(events.Select(e => e.Event), clock.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"Wrote {events.Count} event(s) to {file}.");
    }

    private (DateTimeOffset Begin, DateTimeOffset End) Range(string from, string to)
    {
        var first = string.IsNullOrWhiteSpace(from) ? clock.Now.Date : clock.Parse(from, "from").Date;
        var last = string.IsNullOrWhiteSpace(to) ? first.AddDays(6) : clock.Parse(to, "to").Date;
        if (last < first)
        {
            throw new ToolException("'to' must not be before 'from'.");
        }

        return (clock.Local(first), clock.Local(last.AddDays(1)));
    }

    private async Task<List<(long Id, CalendarEvent Event)>> BetweenAsync(DateTimeOffset begin, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, uid, title, start, end, all_day, location, description FROM events
            WHERE start < $end AND end > $begin ORDER BY start, id;
            """;
        command.Parameters.AddWithValue("$begin", SqlTime.Write(begin));
        command.Parameters.AddWithValue("$end", SqlTime.Write(end));
        var events = new List<(long, CalendarEvent)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add((reader.GetInt64(0), new CalendarEvent(
                reader.GetString(1), reader.GetString(2), SqlTime.Read(reader.GetString(3)), SqlTime.Read(reader.GetString(4)),
                reader.GetInt64(5) == 1, reader.GetString(6), reader.GetString(7))));
        }

        return events;
    }

    private static async Task<long> InsertAsync(SqliteConnection connection, CalendarEvent e, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO events(uid, title, start, end, all_day, location, description)
            VALUES ($uid, $title, $start, $end, $allDay, $location, $description)
            ON CONFLICT(uid) DO UPDATE SET title = excluded.title, start = excluded.start, end = excluded.end,
                all_day = excluded.all_day, location = excluded.location, description = excluded.description
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$uid", e.Uid);
        command.Parameters.AddWithValue("$title", e.Title);
        command.Parameters.AddWithValue("$start", SqlTime.Write(e.Start));
        command.Parameters.AddWithValue("$end", SqlTime.Write(e.End));
        command.Parameters.AddWithValue("$allDay", e.AllDay ? 1 : 0);
        command.Parameters.AddWithValue("$location", e.Location);
        command.Parameters.AddWithValue("$description", e.Description);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private EventItem ToItem(long id, CalendarEvent e) => e.AllDay
        ? new EventItem(id, e.Title, e.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), true, e.Location)
        : new EventItem(id, e.Title, clock.Format(e.Start), clock.Format(e.End), false, e.Location);

    private FreeSlot Slot(DateTimeOffset start, DateTimeOffset end) =>
        new(clock.Format(start), clock.Format(end), (int)(end - start).TotalMinutes);

    private static TimeSpan ParseClock(string text, string argument) =>
        TimeSpan.TryParseExact(text, ["hh\\:mm", "h\\:mm"], CultureInfo.InvariantCulture, out var time) && time < TimeSpan.FromDays(1)
            ? time
            : throw new ToolException($"{argument} '{text}' is not a time of day like 09:00.");
}
