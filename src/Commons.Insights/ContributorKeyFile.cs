namespace Commons.Insights;

/// <summary>
/// A private key on disk: the raw 32 bytes in a file only its owner may read or write (0600, created
/// that way, never widened afterwards), written to a temporary name and moved into place, never over
/// an existing key. A file others could read, or of the wrong size, is refused.
/// </summary>
public static class ContributorKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;
    private const int KeyLength = 32;

    /// <summary>
    /// Writes <paramref name="key"/> to <paramref name="path"/>, creating its folder (owner-only when
    /// created here). Returns false, writing nothing, when a file is already there.
    /// </summary>
    public static bool TryCreate(string path, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            // Windows has no modes; the profile folder's ACL protects the file.
            Directory.CreateDirectory(folder);
        }
        else
        {
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }

            options.UnixCreateMode = OwnerOnly;
        }

        if (File.Exists(path))
        {
            return false;
        }

        var temporary = path + $".{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(key.ExportPrivateKey());
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it meanwhile.
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>
    /// Reads the key at <paramref name="path"/>. Throws <see cref="InvalidDataException"/>, with a message
    /// that completes "The key FILE …", when others may read it or it is not a key; I/O errors as they come.
    /// </summary>
    public static ContributorKey Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && (mode & ~OwnerOnly) != 0)
        {
            throw new InvalidDataException($"has mode {Convert.ToString((int)mode, 8)}, not 600, so others may use it; run 'chmod 600 {path}' first");
        }

        var raw = File.ReadAllBytes(path);
        if (raw.Length != KeyLength)
        {
            throw new InvalidDataException($"is damaged or not a key ({raw.Length} bytes, not {KeyLength})");
        }

        return ContributorKey.Import(raw);
    }
}
