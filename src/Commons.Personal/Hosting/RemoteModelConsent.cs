using System.Text.Json;
using Commons.Abstractions.Hosting;

namespace Commons.Personal.Hosting;

/// <summary>
/// The person's consent, given once per server, to send conversations to a remote model: kept in the data
/// folder (private to them), so it is asked on first use only.
/// </summary>
public static class RemoteModelConsent
{
    private const string FileName = "remote-model-consent.json";

    /// <summary>Whether the person has agreed to use the model server at <paramref name="endpoint"/>.</summary>
    public static bool IsGiven(CommonsHome home, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(home);
        return Read(home).Contains(Normalize(endpoint));
    }

    /// <summary>Records the person's consent for <paramref name="endpoint"/>.</summary>
    public static void Give(CommonsHome home, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(home);
        var given = Read(home);
        given.Add(Normalize(endpoint));
        home.EnsureUsable();
        var path = Path.Combine(home.Root, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = DataFolderPrivacy.PrivateFile;
        }

        using var stream = new FileStream(path, options);
        JsonSerializer.Serialize(stream, given.Order(StringComparer.Ordinal).ToList());
    }

    private static HashSet<string> Read(CommonsHome home)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(home.Root, FileName)))?.ToHashSet(StringComparer.Ordinal) ?? [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // None recorded (or unreadable): ask again.
            return [];
        }
    }

    private static string Normalize(string endpoint) => endpoint.Trim().TrimEnd('/');
}
