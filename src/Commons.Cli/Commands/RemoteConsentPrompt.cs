using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;

namespace Commons.Cli.Commands;

/// <summary>Asks, once per model server, whether the person agrees to send their conversations there.</summary>
internal static class RemoteConsentPrompt
{
    /// <returns>True when consent was given now or before.</returns>
    public static bool Ask(CommonsHome home, string endpoint, TextReader input)
    {
        if (RemoteModelConsent.IsGiven(home, endpoint))
        {
            return true;
        }

        Console.Out.WriteLine($"The model at {endpoint} runs on another server: what you say in this chat, with what your agent has learned about you, is sent there. Use it? [y/N]");
        Console.Out.Flush();
        var answer = input.ReadLine()?.Trim().ToLowerInvariant();
        if (answer is "y" or "yes")
        {
            RemoteModelConsent.Give(home, endpoint);
            return true;
        }

        CommandRunner.WriteError($"Not using the model at {endpoint}: the chat sends nothing there without your consent (answer y).");
        return false;
    }
}
