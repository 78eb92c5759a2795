namespace Commons.Privacy.Policies;

/// <summary>
/// Hands out the current policy set, reloading on use: each call hashes the folder's policy files and
/// reloads when the hash changed, so an edit takes effect on the next export without a restart. A
/// folder that does not load yields the failure (and no policy), so callers fail closed.
/// </summary>
public sealed class PolicyProvider(string directory)
{
    private readonly Lock _gate = new();
    private PolicySet? _current;
    private string? _currentHash;

    /// <summary>The folder this provider reads.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The current policy set, or the reason there is none.</summary>
    public PolicySet GetCurrent()
    {
        lock (_gate)
        {
            string hash;
            try
            {
                hash = PolicySet.ComputeHash(Directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PolicyLoadException($"The policies folder {Directory} cannot be read: {ex.Message}", ex);
            }

            if (_current is not null && hash == _currentHash)
            {
                return _current;
            }

            // Forget the old set first: if the new content does not load, nothing is served from the old one.
            _current = null;
            _currentHash = null;
            var loaded = PolicySet.Load(Directory);
            _current = loaded;
            _currentHash = loaded.Hash;
            return loaded;
        }
    }
}
