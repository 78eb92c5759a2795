namespace Commons.Abstractions.Hosting;

/// <summary>
/// The person's data folder: <c>$COMMONS_HOME</c>, by default <c>~/.local/share/commons</c>.
/// </summary>
public sealed record CommonsHome(string Root)
{
    public const string EnvironmentVariable = "COMMONS_HOME";

    /// <summary>Where models pulled with <c>commons model pull</c> are installed.</summary>
    public string ModelsFolder => Path.Combine(Root, "models");

    /// <summary>The SQLite database that holds the personal silo's grain state.</summary>
    public string DatabasePath => Path.Combine(Root, "commons.db");

    /// <summary>Optional settings file (JSON) read at start-up.</summary>
    public string SettingsPath => Path.Combine(Root, "settings.json");

    /// <summary>Resolves the folder from the environment, without touching the disk.</summary>
    public static CommonsHome FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new CommonsHome(Path.GetFullPath(configured));
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return new CommonsHome(Path.Combine(dataHome, "commons"));
    }

    /// <summary>
    /// Creates the folder if needed (private to its owner) and proves it is writable; a folder that cannot be used
    /// becomes a <see cref="CommonsException"/> naming it.
    /// </summary>
    public CommonsHome EnsureUsable()
    {
        try
        {
            if (File.Exists(Root))
            {
                throw new CommonsException($"The data folder {Root} is a file, not a folder; set {EnvironmentVariable} to a folder.");
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Root);
            }
            else
            {
                Directory.CreateDirectory(Root, DataFolderPrivacy.PrivateFolder);
            }

            var probe = Path.Combine(Root, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return this;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new CommonsException($"The data folder {Root} cannot be used: {ex.Message}", ex);
        }
    }
}
