using System.Runtime.InteropServices;

namespace Commons.Cli.Tests;

/// <summary>
/// Files the tests arrange in a data folder are made as commons itself makes them, private to the owner
/// (umask 077): otherwise every run would begin by saying it made the folder private.
/// </summary>
internal static class PrivateUmask
{
    private static readonly Lazy<bool> Applied = new(() =>
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetUmask(0b000_111_111);
        }

        return true;
    });

    public static void Apply() => _ = Applied.Value;

    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);
}
