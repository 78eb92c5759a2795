using System.Globalization;

namespace Commons.Inference.Models;

/// <summary>Formats byte counts for people: 491.4 MB, 1.1 GB.</summary>
public static class ByteCount
{
    /// <summary>Decimal units (as download pages show them), one decimal place above a kilobyte.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
