using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Cli.Commands;

/// <summary>
/// Starts the personal silo without the model for commands that only read or change what the agent keeps;
/// while a <c>commons serve</c> runs for the same data folder, attaches to it instead.
/// </summary>
internal static class QuietSilo
{
    /// <summary>Starts the silo on <c>$COMMONS_HOME</c>; <paramref name="policiesFolder"/> overrides where the policies are read.</summary>
    public static Task<PersonalSilo> StartAsync(string? policiesFolder, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(policiesFolder))
        {
            settings["Sharing:PoliciesFolder"] = Path.GetFullPath(policiesFolder);
        }

        var home = CommonsHome.FromEnvironment();
        StartChecks.Run(home, settings);
        return PersonalSilo.StartAsync(home, settings, Quiet, cancellationToken, loadModel: false, attach: true);
    }

    private static void Quiet(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Error);
        logging.AddFilter("Microsoft", LogLevel.Error);
        logging.AddFilter("Commons", LogLevel.Error);
        // A pool that cannot be reached is the command's one sentence, not each retry's log line.
        logging.AddFilter("Polly", LogLevel.None);
    }
}
