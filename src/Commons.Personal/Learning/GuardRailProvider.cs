using Commons.Privacy.Policies;

namespace Commons.Personal.Learning;

/// <summary>
/// Hands out the owner's current guard-rails from <c>guardrails.yaml</c> in the policies folder, read
/// again on every use so an edit takes effect at once. A file that does not load throws
/// <see cref="PolicyLoadException"/>: callers import nothing (fail closed).
/// </summary>
public sealed class GuardRailProvider(string policiesFolder)
{
    /// <summary>The guard-rails file this provider reads.</summary>
    public string File { get; } = Path.Combine(Path.GetFullPath(policiesFolder), GuardRailSet.FileName);

    /// <summary>The current guard-rails, or the reason there are none.</summary>
    public GuardRailSet GetCurrent()
    {
        try
        {
            return GuardRailLoader.Load(File);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyLoadException($"The guard-rails file {File} cannot be read: {ex.Message}", ex);
        }
    }
}
