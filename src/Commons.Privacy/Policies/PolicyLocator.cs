namespace Commons.Privacy.Policies;

/// <summary>
/// Finds the policies folder: an explicit folder, else <c>COMMONS_POLICIES</c>, else
/// <c>$COMMONS_HOME/policies</c> when it exists, else the <c>policies</c> folder shipped beside the program.
/// </summary>
public static class PolicyLocator
{
    /// <summary>The environment variable that names a policies folder.</summary>
    public const string EnvironmentVariable = "COMMONS_POLICIES";

    /// <summary>Resolves the folder to use (it may not exist; loading reports that).</summary>
    public static string Resolve(string? explicitFolder, string commonsHome)
    {
        if (!string.IsNullOrWhiteSpace(explicitFolder))
        {
            return Path.GetFullPath(explicitFolder);
        }

        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var personal = Path.Combine(commonsHome, "policies");
        return Directory.Exists(personal) ? personal : Path.Combine(AppContext.BaseDirectory, "policies");
    }
}
