using Commons.Abstractions.Hosting;
using Commons.Insights;

namespace Commons.Personal.Sharing;

/// <summary>
/// The member's Ed25519 contributor key in <c>$COMMONS_HOME/keys/</c>: created on first use, the raw
/// 32-byte private key in a file only its owner may read or write (0600, folder 0700). A key file that
/// others could read, or that is damaged, is refused with the reason: nothing is signed with it.
/// </summary>
public sealed class ContributorKeyStore(CommonsHome home)
{
    private readonly Lock _gate = new();

    /// <summary>The folder that holds the keys.</summary>
    public string Folder { get; } = Path.Combine(home?.Root ?? throw new ArgumentNullException(nameof(home)), "keys");

    /// <summary>The file of the named key.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name + ".ed25519");

    /// <summary>
    /// The named key (by default the one that signs artifacts), created on first use. Throws
    /// <see cref="CommonsException"/> when the file is unsafe or damaged.
    /// </summary>
    public ContributorKey GetOrCreate(string name = "contributor")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = PathOf(name);
        lock (_gate)
        {
            try
            {
                if (!File.Exists(path))
                {
                    using var key = ContributorKey.Create();
                    ContributorKeyFile.TryCreate(path, key);
                }

                return ContributorKeyFile.Read(path);
            }
            catch (InvalidDataException ex)
            {
                throw new CommonsException($"The contributor key {path} {ex.Message}.", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommonsException($"The contributor key {path} cannot be used: {ex.Message}", ex);
            }
        }
    }
}
