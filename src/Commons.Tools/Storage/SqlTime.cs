using System.Globalization;

namespace Commons.Tools.Storage;

/// <summary>Instants are stored as sortable UTC text.</summary>
internal static class SqlTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static string Write(DateTimeOffset instant) => instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Read(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture), DateTimeKind.Utc));
}
