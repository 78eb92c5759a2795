using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons model pull|list</c>: download catalog models and see what is installed.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Download and list local models.");
        command.Subcommands.Add(ModelPullCommand.Create());
        command.Subcommands.Add(ModelListCommand.Create());
        return command;
    }
}
