using System.Globalization;

namespace Commons.Community.Service;

/// <summary>A count with its noun, agreeing in number ("1 artifact", "2 artifacts"), for what the audit log says.</summary>
internal static class Counted
{
    public static string Of(long count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");
}
