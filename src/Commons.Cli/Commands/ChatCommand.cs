using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons chat</c> (placeholder).</summary>
internal static class ChatCommand
{
    public static Command Create() => new("chat", "Chat with your personal agent.");
}
