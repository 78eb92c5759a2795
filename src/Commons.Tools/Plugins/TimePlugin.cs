using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>The current time and date arithmetic, in the person's time zone.</summary>
public sealed class TimePlugin(PersonClock clock)
{
    public const string PluginName = "time";

    [KernelFunction("now")]
    [Description("The current local date, time, weekday and time zone.")]
    public string Now()
    {
        var now = clock.Now;
        return string.Create(CultureInfo.InvariantCulture, $"{clock.Format(now)} ({now.DayOfWeek}, time zone {clock.Zone.Id})");
    }

    [KernelFunction("add")]
    [Description("Adds (or with a negative amount, subtracts) an amount of time to a local date-time; calendar units respect month lengths and clock changes.")]
    public string Add(
        [Description("The starting local date-time like 2025-03-01T14:30, or 'now'")] string start,
        [Description("How many units to add; negative to go back")] int amount,
        [Description("The unit")] TimeUnit unit)
    {
        var from = clock.Parse(start, "start");
        var wall = from.DateTime;
        var result = unit switch
        {
            TimeUnit.Minutes => clock.Local(TimeZoneInfo.ConvertTime(from.AddMinutes(amount), clock.Zone).DateTime),
            TimeUnit.Hours => clock.Local(TimeZoneInfo.ConvertTime(from.AddHours(amount), clock.Zone).DateTime),
            TimeUnit.Days => clock.Local(wall.AddDays(amount)),
            TimeUnit.Weeks => clock.Local(wall.AddDays(7.0 * amount)),
            TimeUnit.Months => clock.Local(wall.AddMonths(amount)),
            TimeUnit.Years => clock.Local(wall.AddYears(amount)),
            _ => throw new ToolException("unit must be minutes, hours, days, weeks, months or years."),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{clock.Format(result)} ({result.DayOfWeek})");
    }

    [KernelFunction("difference")]
    [Description("How long it is from one local date-time to another, in days, hours and minutes.")]
    public string Difference(
        [Description("The earlier date-time, or 'now'")] string from,
        [Description("The later date-time, or 'now'")] string to)
    {
        var span = clock.Parse(to, "to") - clock.Parse(from, "from");
        var sign = span < TimeSpan.Zero ? "-" : "";
        span = span.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)span.TotalDays} days, {span.Hours} hours, {span.Minutes} minutes (total {sign}{(long)span.TotalMinutes} minutes)");
    }
}
