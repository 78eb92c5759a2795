using System.Globalization;
using System.Text;

namespace Commons.Tools.Calendar;

/// <summary>
/// Reads and writes iCalendar (RFC 5545) files: VEVENTs with UID, SUMMARY, DTSTART, DTEND or
/// DURATION, LOCATION, DESCRIPTION; UTC, floating and TZID times and all-day dates; line folding
/// and text escaping. Recurrence rules are not expanded (only the first occurrence is read).
/// </summary>
public static class IcsCalendar
{
    private const int FoldOctets = 75;

    /// <summary>Writes events as an iCalendar document (CRLF line ends, lines folded at 75 octets).</summary>
    public static string Write(IEnumerable<CalendarEvent> events, DateTimeOffset stamp)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ics = new StringBuilder();
        Line(ics, "BEGIN:VCALENDAR");
        Line(ics, "VERSION:2.0");
        Line(ics, "PRODID:-//Commons//Personal agent//EN");
        Line(ics, "CALSCALE:GREGORIAN");
        foreach (var e in events)
        {
            Line(ics, "BEGIN:VEVENT");
            Line(ics, "UID:" + Escape(e.Uid));
            Line(ics, "DTSTAMP:" + Utc(stamp));
            if (e.AllDay)
            {
                Line(ics, "DTSTART;VALUE=DATE:" + e.Start.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
                Line(ics, "DTEND;VALUE=DATE:" + e.End.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            }
            else
            {
                Line(ics, "DTSTART:" + Utc(e.Start));
                Line(ics, "DTEND:" + Utc(e.End));
            }

            Line(ics, "SUMMARY:" + Escape(e.Title));
            if (e.Location.Length > 0)
            {
                Line(ics, "LOCATION:" + Escape(e.Location));
            }

            if (e.Description.Length > 0)
            {
                Line(ics, "DESCRIPTION:" + Escape(e.Description));
            }

            Line(ics, "END:VEVENT");
        }

        Line(ics, "END:VCALENDAR");
        return ics.ToString();
    }

    /// <summary>
    /// Reads the events of an iCalendar document. Floating times are taken in <paramref name="zone"/>.
    /// A document that is not iCalendar, or an event without a usable start, is a <see cref="ToolException"/>.
    /// </summary>
    public static IReadOnlyList<CalendarEvent> Read(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var lines = Unfold(text);
        if (lines.Count == 0 || !lines[0].Equals("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
        {
            throw new ToolException("The file is not an iCalendar file (it does not start with BEGIN:VCALENDAR).");
        }

        var events = new List<CalendarEvent>();
        Dictionary<string, (Dictionary<string, string> Parameters, string Value)>? current = null;
        var depth = 0;
        foreach (var line in lines)
        {
            var (name, parameters, value) = Split(line);
            if (name == "BEGIN")
            {
                if (value.Equals("VEVENT", StringComparison.OrdinalIgnoreCase) && current is null)
                {
                    current = new(StringComparer.Ordinal);
                    depth = 0;
                }
                else if (current is not null)
                {
                    depth++; // a VALARM inside the event: its properties are not the event's
                }

                continue;
            }

            if (name == "END" && current is not null)
            {
                if (depth > 0)
                {
                    depth--;
                    continue;
                }

                if (value.Equals("VEVENT", StringComparison.OrdinalIgnoreCase))
                {
                    events.Add(ToEvent(current, zone, events.Count + 1));
                    current = null;
                }

                continue;
            }

            if (current is not null && depth == 0)
            {
                current.TryAdd(name, (parameters, value));
            }
        }

        return events;
    }

    private static CalendarEvent ToEvent(Dictionary<string, (Dictionary<string, string> Parameters, string Value)> p, TimeZoneInfo zone, int number)
    {
        if (!p.TryGetValue("DTSTART", out var start))
        {
            throw new ToolException($"Event {number} in the file has no DTSTART.");
        }

        var allDay = start.Parameters.TryGetValue("VALUE", out var kind) && kind.Equals("DATE", StringComparison.OrdinalIgnoreCase) || start.Value.Length == 8;
        var begin = ParseTime(start, zone, number);
        DateTimeOffset end;
        if (p.TryGetValue("DTEND", out var dtEnd))
        {
            end = ParseTime(dtEnd, zone, number);
        }
        else if (p.TryGetValue("DURATION", out var duration))
        {
            end = begin + ParseDuration(duration.Value, number);
        }
        else
        {
            end = allDay ? begin.AddDays(1) : begin;
        }

        var uid = p.TryGetValue("UID", out var u) && u.Value.Length > 0 ? Unescape(u.Value) : Guid.NewGuid().ToString("N") + "@commons";
        return new CalendarEvent(
            uid,
            p.TryGetValue("SUMMARY", out var summary) ? Unescape(summary.Value) : "(no title)",
            begin,
            end < begin ? begin : end,
            allDay,
            p.TryGetValue("LOCATION", out var location) ? Unescape(location.Value) : "",
            p.TryGetValue("DESCRIPTION", out var description) ? Unescape(description.Value) : "");
    }

    private static DateTimeOffset ParseTime((Dictionary<string, string> Parameters, string Value) property, TimeZoneInfo zone, int number)
    {
        var value = property.Value.Trim();
        if (value.Length == 8 && DateTime.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // All-day dates are calendar days, not instants: kept as midnight UTC so they round-trip unchanged.
            return new DateTimeOffset(date, TimeSpan.Zero);
        }

        var utc = value.EndsWith('Z');
        if (!DateTime.TryParseExact(utc ? value[..^1] : value, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new ToolException($"Event {number} in the file has a time '{value}' that is not an iCalendar date-time.");
        }

        if (utc)
        {
            return new DateTimeOffset(time, TimeSpan.Zero);
        }

        var timeZone = zone;
        if (property.Parameters.TryGetValue("TZID", out var id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim('"'), out var named))
        {
            timeZone = named;
        }

        return new DateTimeOffset(time, timeZone.GetUtcOffset(time));
    }

    private static TimeSpan ParseDuration(string value, int number)
    {
        // RFC 5545 durations: [+-]P[nW] or P[nD][T[nH][nM][nS]].
        var negative = value.StartsWith('-');
        var text = value.TrimStart('+', '-');
        if (!text.StartsWith('P'))
        {
            throw new ToolException($"Event {number} in the file has a DURATION '{value}' that is not valid.");
        }

        var total = TimeSpan.Zero;
        var digits = 0;
        var inTime = false;
        foreach (var c in text[1..])
        {
            if (char.IsAsciiDigit(c))
            {
                digits = checked((digits * 10) + (c - '0'));
                continue;
            }

            total += (c, inTime) switch
            {
                ('W', false) => TimeSpan.FromDays(7 * digits),
                ('D', false) => TimeSpan.FromDays(digits),
                ('T', false) => TimeSpan.Zero,
                ('H', true) => TimeSpan.FromHours(digits),
                ('M', true) => TimeSpan.FromMinutes(digits),
                ('S', true) => TimeSpan.FromSeconds(digits),
                _ => throw new ToolException($"Event {number} in the file has a DURATION '{value}' that is not valid."),
            };
            inTime |= c == 'T';
            digits = 0;
        }

        return negative ? -total : total;
    }

    private static List<string> Unfold(string text)
    {
        var lines = new List<string>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t') && lines.Count > 0)
            {
                lines[^1] += raw[1..];
            }
            else if (raw.Length > 0)
            {
                lines.Add(raw);
            }
        }

        return lines;
    }

    private static (string Name, Dictionary<string, string> Parameters, string Value) Split(string line)
    {
        // NAME;PARAM=VALUE;PARAM="QUOTED:VALUE":value — the first colon outside quotes ends the parameters.
        var inQuotes = false;
        var colon = -1;
        for (var i = 0; i < line.Length && colon < 0; i++)
        {
            if (line[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (line[i] == ':' && !inQuotes)
            {
                colon = i;
            }
        }

        var head = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        var parts = head.Split(';');
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parameters[part[..eq]] = part[(eq + 1)..];
            }
        }

        return (parts[0].ToUpperInvariant(), parameters, value);
    }

    private static string Escape(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] is 'n' or 'N' ? '\n' : text[i]);
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    private static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Appends a content line folded at 75 octets (never inside a UTF-8 sequence), ending in CRLF.</summary>
    private static void Line(StringBuilder ics, string line)
    {
        var octets = 0;
        var limit = FoldOctets;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                ics.Append("\r\n ");
                octets = 0;
                limit = FoldOctets - 1;
            }

            ics.Append(rune.ToString());
            octets += size;
        }

        ics.Append("\r\n");
    }
}
