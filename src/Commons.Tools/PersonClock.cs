using System.Globalization;

namespace Commons.Tools;

/// <summary>
/// The person's time: the injected <see cref="TimeProvider"/> seen in their time zone, and the
/// reading and writing of the local date-times tools exchange with the model.
/// </summary>
public sealed class PersonClock(TimeProvider time, TimeZoneInfo zone)
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    public TimeZoneInfo Zone => zone;

    public TimeProvider Time => time;

    /// <summary>Now, in the person's zone.</summary>
    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);

    /// <summary>
    /// Reads a date-time: ISO 8601 with an offset is taken as given; without one it is the person's local time.
    /// </summary>
    public DateTimeOffset Parse(string text, string argument)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return Now;
        }

        if (text.Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            return Local(Now.Date);
        }

        if (text.Equals("tomorrow", StringComparison.OrdinalIgnoreCase))
        {
            return Local(Now.Date.AddDays(1));
        }

        if ((text.EndsWith('Z') || HasOffset(text)) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
        {
            return TimeZoneInfo.ConvertTime(exact, zone);
        }

        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return Local(local);
        }

        throw new ToolException($"{argument} '{text}' is not a date-time; use the form 2025-03-01T14:30 (the person's local time).");
    }

    /// <summary>A wall-clock time in the person's zone (a time skipped by a clock change moves forward an hour).</summary>
    public DateTimeOffset Local(DateTime wallClock)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    /// <summary>How a time is shown to the model: local, with its offset.</summary>
    public string Format(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            return false;
        }

        var time = text[t..];
        return time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }
}
