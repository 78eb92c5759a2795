using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons model pull|list</c> (placeholder until the model store lands).</summary>
internal static class ModelCommand
{
    public static Command Create() => new("model", "Download and list local models.");
}
