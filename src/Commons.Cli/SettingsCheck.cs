using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;
using Microsoft.Extensions.Configuration;

namespace Commons.Cli;

/// <summary>
/// Checks the person's settings before a command uses them: a damaged file or a value of the wrong kind
/// stops the command with one sentence; an unknown key is a plain warning that names the nearest known one.
/// </summary>
internal static class SettingsCheck
{
    public static void Run(CommonsHome home, IReadOnlyDictionary<string, string?> overrides)
    {
        var configuration = new ConfigurationBuilder().AddCommonsSettings(home, overrides).Build();
        CommonsSettings.Validate(configuration);
        foreach (var warning in CommonsSettings.FindUnknownKeys(home))
        {
            CommandRunner.WriteWarning(warning);
        }
    }
}
