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
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;
    private const int KeyLength = 32;

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
                    Create(path);
                }

                return Read(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommonsException($"The contributor key {path} cannot be used: {ex.Message}", ex);
            }
        }
    }

    private void Create(string path)
    {
        using var key = ContributorKey.Create();
        var temporary = path + $".{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            // Windows has no modes; the profile folder's ACL protects the file.
            Directory.CreateDirectory(Folder);
        }
        else
        {
            Directory.CreateDirectory(Folder, OwnerOnlyFolder);
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(key.ExportPrivateKey());
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it meanwhile: use theirs.
            File.Delete(temporary);
        }
    }

    private static ContributorKey Read(string path)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && (mode & ~OwnerOnly) != 0)
        {
            throw new CommonsException($"The contributor key {path} has mode {Convert.ToString((int)mode, 8)}, not 600, so others may use it; run 'chmod 600 {path}' first.");
        }

        var raw = File.ReadAllBytes(path);
        if (raw.Length != KeyLength)
        {
            throw new CommonsException($"The contributor key {path} is damaged ({raw.Length} bytes, not {KeyLength}); move it away to create a new key.");
        }

        return ContributorKey.Import(raw);
    }
}
