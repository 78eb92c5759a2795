namespace Commons.Privacy.Policies;

/// <summary>
/// Hands out the current policy set, reloading on use: each call looks at the folder's policy files
/// (paths, sizes, write times), hashes their content when any of that changed, and reloads when the
/// hash changed, so an edit takes effect on the next export without a restart. A folder that does not
/// load yields the failure (and no policy), so callers fail closed.
/// </summary>
public sealed class PolicyProvider(string directory)
{
    private readonly Lock _gate = new();
    private PolicySet? _current;
    private string? _currentHash;
    private string? _currentStamp;

    /// <summary>The folder this provider reads.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The current policy set, or the reason there is none.</summary>
    public PolicySet GetCurrent()
    {
        lock (_gate)
        {
            string hash;
            string stamp;
            try
            {
                // Hashing reads every file (the vocabulary is 40,000 words); an export runs per insight.
                stamp = PolicyHasher.Stamp(Directory);
                if (_current is not null && stamp == _currentStamp)
                {
                    return _current;
                }

                hash = PolicySet.ComputeHash(Directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PolicyLoadException($"The policies folder {Directory} cannot be read: {ex.Message}", ex);
            }

            if (_current is not null && hash == _currentHash)
            {
                _currentStamp = stamp;
                return _current;
            }

            // Forget the old set first: if the new content does not load, nothing is served from the old one.
            _current = null;
            _currentHash = null;
            _currentStamp = null;
            var loaded = PolicySet.Load(Directory);
            _current = loaded;
            _currentHash = loaded.Hash;
            _currentStamp = stamp;
            return loaded;
        }
    }
}
