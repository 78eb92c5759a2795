using System.Runtime.InteropServices;
using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;
using Microsoft.Extensions.Configuration;

namespace Commons.Cli;

/// <summary>
/// What every command that uses the data folder checks first: the person's settings (a damaged file or a
/// value of the wrong kind stops the command with one sentence; an unknown key is a plain warning) and
/// that the folder is private to them.
/// </summary>
internal static class StartChecks
{
    /// <summary>
    /// Everything this process creates is private to its owner, whatever the umask it was started with:
    /// the databases (and SQLite's -wal and -shm files, which take their database's mode), keys, exports.
    /// </summary>
    public static void MakeNewFilesPrivate()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetUmask(0b000_111_111);
        }
    }

    public static void Run(CommonsHome home, IReadOnlyDictionary<string, string?> overrides)
    {
        var configuration = new ConfigurationBuilder().AddCommonsSettings(home, overrides).Build();
        CommonsSettings.Validate(configuration);
        foreach (var warning in CommonsSettings.FindUnknownKeys(home))
        {
            CommandRunner.WriteWarning(warning);
        }

        // Made private rather than refused: the files are the person's own, nothing is lost, and a refusal
        // would only leave them to type the chmod themselves.
        var opened = DataFolderPrivacy.MakePrivate(home);
        if (opened.Count > 0)
        {
            var examples = string.Join(", ", opened.Take(3)) + (opened.Count > 3 ? $" and {opened.Count - 3} more" : "");
            CommandRunner.WriteWarning($"The data folder {home.Root} was open to other accounts ({examples}); it is now private to you (folders 0700, files 0600).");
        }
    }

    // DllImport rather than LibraryImport: a blittable call needs no generated marshalling or unsafe code.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);
}
