using System.Diagnostics;
using System.Text.Json;
using Commons.Abstractions.Hosting;

namespace Commons.Personal.Hosting;

/// <summary>
/// What a running <c>commons serve</c> leaves in its data folder (private to the owner) so that the other
/// commands attach to it instead of failing on the folder's lock: its API address, its silo's gateway port,
/// the model and a token for this run.
/// </summary>
public sealed record ServeRegistration(string Url, int GatewayPort, string ModelName, int ProcessId, string Token)
{
    private const string FileName = "serve.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the registration (mode 0600) for <paramref name="home"/>.</summary>
    public void Write(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = DataFolderPrivacy.PrivateFile;
        }

        using var stream = new FileStream(PathIn(home), options);
        JsonSerializer.Serialize(stream, this, Json);
    }

    /// <summary>Removes the registration if it is this one.</summary>
    public void Remove(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (Find(home) is { } current && current.Token == Token)
        {
            File.Delete(PathIn(home));
        }
    }

    /// <summary>The registration of a serve that is still running for <paramref name="home"/>; null when there is none.</summary>
    public static ServeRegistration? Find(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        ServeRegistration? registration;
        try
        {
            registration = JsonSerializer.Deserialize<ServeRegistration>(File.ReadAllText(PathIn(home)), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }

        return registration is not null && IsRunning(registration.ProcessId) ? registration : null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string PathIn(CommonsHome home) => Path.Combine(home.Root, FileName);
}
