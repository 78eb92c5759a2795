namespace Commons.Tools.Calendar;

/// <summary>An event: instants in UTC; an all-day event spans whole days from <see cref="Start"/> to <see cref="End"/> (exclusive).</summary>
public sealed record CalendarEvent(
    string Uid,
    string Title,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool AllDay = false,
    string Location = "",
    string Description = "");
