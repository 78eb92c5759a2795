using System.Globalization;

namespace Commons.Probe;

/// <summary>One line per row: what was measured, and whether the hole is closed.</summary>
internal static class Report
{
    public static void Row(string row, string measured, bool closed) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row} | {measured} | {(closed ? "closed" : "OPEN")} |"));

    public static void Figure(string row, string measured) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row} | {measured} | |"));
}
