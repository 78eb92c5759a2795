using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons bench</c> (placeholder).</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure the generation path against plain LLamaSharp.");
}
