using Commons.Tools.Calendar;
using Commons.Tools.Calculator;
using Commons.Tools.Files;
using Commons.Tools.Plugins;
using Commons.Tools.Storage;

namespace Commons.Tools.Tests;

/// <summary>The plugins on real SQLite files and real folders.</summary>
public sealed class PluginTests : IDisposable
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly TestFiles _files = new();
    private readonly ManualTime _time = new(new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly PersonClock _clock;
    private readonly ToolsDatabase _database;

    public PluginTests()
    {
        _clock = new PersonClock(_time, Berlin);
        _database = new ToolsDatabase(_files.PathOf("tools.db"));
    }

    [Fact]
    public async Task Search_FullText_FindsMatchingNotesBestFirstAndSurvivesFtsSyntax()
    {
        var notes = new NotesPlugin(_database, _clock);
        await notes.AddAsync("Buy oat milk and bread", "shopping");
        await notes.AddAsync("Dentist appointment on Friday");
        await notes.AddAsync("Milk milk milk: try the almond milk", "milk");

        var found = await notes.SearchAsync("milk");
        var prefix = await notes.SearchAsync("dent");
        var hostile = await notes.SearchAsync("milk\" OR NEAR(* -");

        Assert.Equal(2, found.Count);
        Assert.Equal("milk", found[0].Title);
        Assert.Single(prefix);
        Assert.Equal(2, hostile.Count);
        Assert.Empty(await notes.SearchAsync("   "));
    }

    [Fact]
    public async Task Delete_Note_RemovesItFromListAndIndex()
    {
        var notes = new NotesPlugin(_database, _clock);
        var note = await notes.AddAsync("Remember the keys");

        await notes.DeleteAsync(note.Id);

        Assert.Empty(await notes.ListAsync());
        Assert.Empty(await notes.SearchAsync("keys"));
        await Assert.ThrowsAsync<ToolException>(() => notes.DeleteAsync(note.Id));
    }

    [Fact]
    public async Task TakeDueReminders_AfterDueTime_ReturnsEachReminderOnce()
    {
        var tasks = new TasksPlugin(_database, _clock);
        var soon = await tasks.AddAsync("Call mum", "2025-03-03T10:00");
        await tasks.AddAsync("Pay rent", "2025-03-05T09:00");
        await tasks.AddAsync("Someday: learn Go");

        Assert.Empty(await tasks.TakeDueRemindersAsync());
        _time.Now = new DateTimeOffset(2025, 3, 3, 9, 30, 0, TimeSpan.Zero); // 10:30 in Berlin
        var due = await tasks.TakeDueRemindersAsync();

        Assert.Equal("Call mum", Assert.Single(due).Title);
        Assert.Equal("2025-03-03T10:00+01:00", soon.Due);
        Assert.Empty(await tasks.TakeDueRemindersAsync());
        await tasks.CompleteAsync(soon.Id);
        Assert.Equal(2, (await tasks.ListAsync()).Count);
        Assert.Empty(await tasks.DueAsync());
    }

    [Fact]
    public async Task IcsRoundTrip_ExportThenImport_KeepsEveryField()
    {
        var folder = Directory.CreateDirectory(_files.PathOf("cal")).FullName;
        var calendar = new CalendarPlugin(_database, _clock, new AllowedFolders([folder]));
        await calendar.CreateAsync("Team sync; planning, Q2", "2025-03-04T10:00", 45, "Room 4\\B");
        await calendar.CreateAsync("A long title that goes on and on so that the line has to be folded at seventy-five octets — ünïcödé", "2025-03-05T15:30", 30);

        await calendar.ExportIcsAsync(Path.Combine(folder, "out.ics"), "2025-03-03", "2025-03-09");
        var text = await File.ReadAllTextAsync(Path.Combine(folder, "out.ics"));
        var events = IcsCalendar.Read(text, Berlin);
        var other = new CalendarPlugin(new ToolsDatabase(_files.PathOf("other.db")), _clock, new AllowedFolders([folder]));
        await other.ImportIcsAsync(Path.Combine(folder, "out.ics"));
        var imported = await other.ListAsync("2025-03-03", "2025-03-09");

        Assert.All(text.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        Assert.Equal(2, events.Count);
        Assert.Equal("Team sync; planning, Q2", events[0].Title);
        Assert.Equal("Room 4\\B", events[0].Location);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.Zero), events[0].Start);
        Assert.Equal(TimeSpan.FromMinutes(45), events[0].End - events[0].Start);
        Assert.EndsWith("ünïcödé", events[1].Title, StringComparison.Ordinal);
        Assert.Equal((await calendar.ListAsync("2025-03-03", "2025-03-09")).Select(e => (e.Title, e.Start, e.End, e.Location)), imported.Select(e => (e.Title, e.Start, e.End, e.Location)));
    }

    [Fact]
    public void Read_ForeignIcsWithTzidAllDayDurationAndAlarm_IsUnderstood()
    {
        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@x\r\nDTSTART;TZID=America/New_York:20250310T090000\r\nDURATION:PT1H30M\r\nSUMMARY:Stand\r\n up\r\nBEGIN:VALARM\r\nSUMMARY:not the event\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:2@x\r\nDTSTART;VALUE=DATE:20250312\r\nSUMMARY:Holiday\\, yay\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var events = IcsCalendar.Read(ics, Berlin);

        Assert.Equal("Standup", events[0].Title);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 13, 0, 0, TimeSpan.Zero), events[0].Start);
        Assert.Equal(TimeSpan.FromMinutes(90), events[0].End - events[0].Start);
        Assert.True(events[1].AllDay);
        Assert.Equal("Holiday, yay", events[1].Title);
        Assert.Equal(TimeSpan.FromDays(1), events[1].End - events[1].Start);
        Assert.Throws<ToolException>(() => IcsCalendar.Read("hello", Berlin));
    }

    [Fact]
    public async Task FindFreeSlots_BusyDay_ReturnsTheGapsLongEnough()
    {
        var calendar = new CalendarPlugin(_database, _clock, new AllowedFolders([]));
        await calendar.CreateAsync("Standup", "2025-03-04T09:00", 30);
        await calendar.CreateAsync("Lunch", "2025-03-04T12:00", 60);
        await calendar.CreateAsync("Review", "2025-03-04T16:45", 15);

        var slots = await calendar.FindFreeSlotsAsync("2025-03-04", 60);

        Assert.Equal(
            [("2025-03-04T09:30+01:00", "2025-03-04T12:00+01:00"), ("2025-03-04T13:00+01:00", "2025-03-04T16:45+01:00")],
            slots.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public async Task Files_PathOutsideAllowedFolders_IsRefusedIncludingDotDotAndSymlinks()
    {
        var allowed = Directory.CreateDirectory(_files.PathOf("allowed")).FullName;
        var secret = Directory.CreateDirectory(_files.PathOf("secret")).FullName;
        await File.WriteAllTextAsync(Path.Combine(allowed, "todo.txt"), "water the plants\nfeed the cat");
        await File.WriteAllTextAsync(Path.Combine(secret, "passwords.txt"), "hunter2");
        File.CreateSymbolicLink(Path.Combine(allowed, "sneaky.txt"), Path.Combine(secret, "passwords.txt"));
        Directory.CreateSymbolicLink(Path.Combine(allowed, "door"), secret);
        var files = new FilesPlugin(new AllowedFolders([allowed]), _clock);

        Assert.Contains("feed the cat", await files.ReadAsync(Path.Combine(allowed, "todo.txt")), StringComparison.Ordinal);
        Assert.Contains("plants", await files.ReadAsync("todo.txt"), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync(Path.Combine(secret, "passwords.txt")));
        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync(Path.Combine(allowed, "..", "secret", "passwords.txt")));
        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync("../secret/passwords.txt"));
        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync(Path.Combine(allowed, "sneaky.txt")));
        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync(Path.Combine(allowed, "door", "passwords.txt")));
        Assert.Throws<ToolException>(() => files.List(Path.Combine(allowed, "door")));
        var matches = await files.SearchAsync("hunter2");
        Assert.Empty(matches);
        Assert.Equal(2, Assert.Single(await files.SearchAsync("CAT")).Line);
    }

    [Fact]
    public async Task Files_NoAllowedFolder_RefusesEverything()
    {
        var files = new FilesPlugin(new AllowedFolders([]), _clock);

        await Assert.ThrowsAsync<ToolException>(() => files.ReadAsync("/etc/hostname"));
    }

    [Theory]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("(19.99 * 3) * 1.2", "71.964")]
    [InlineData("2 ^ 10 - -1", "1025")]
    [InlineData("10 % 3 + 7 / 2", "4.5")]
    [InlineData("1 / 3 * 3", "0.9999999999999999999999999999")]
    [InlineData("2 ^ -2", "0.25")]
    [InlineData("1_000_000 * 1.05", "1050000")]
    public void Evaluate_Expression_IsExact(string expression, string expected)
    {
        Assert.Equal(expected, new CalculatorPlugin().Evaluate(expression));
    }

    [Theory]
    [InlineData("1 / 0", "Division by zero")]
    [InlineData("2 +", "missing")]
    [InlineData("(1 + 2", "')' is missing")]
    [InlineData("3 $ 4", "unexpected '$'")]
    [InlineData("2 ^ 0.5", "whole numbers")]
    [InlineData("99999999999999999999 * 99999999999999999999", "too large")]
    public void Evaluate_BadExpression_IsAToolError(string expression, string expected)
    {
        var error = Assert.Throws<ToolException>(() => DecimalExpression.Evaluate(expression));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeAdd_AcrossDaylightSavingChange_KeepsTheWallClock()
    {
        var time = new TimePlugin(_clock);

        Assert.StartsWith("2025-03-31T09:00+02:00", time.Add("2025-03-29T09:00", 2, TimeUnit.Days), StringComparison.Ordinal);
        Assert.StartsWith("2025-03-30T04:00+02:00", time.Add("2025-03-30T01:00", 2, TimeUnit.Hours), StringComparison.Ordinal);
        Assert.StartsWith("2025-02-28T09:00+01:00", time.Add("2025-01-31T09:00", 1, TimeUnit.Months), StringComparison.Ordinal);
        Assert.StartsWith("2025-03-03T09:00+01:00", time.Now(), StringComparison.Ordinal);
        Assert.StartsWith("1 days, 23 hours, 0 minutes", time.Difference("2025-03-29T09:00", "2025-03-31T09:00"), StringComparison.Ordinal);
        Assert.Throws<ToolException>(() => time.Add("next tuesday", 1, TimeUnit.Days));
    }

    public void Dispose() => _files.Dispose();
}
