using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons model pull|list|show|add|rm</c>: download catalog models, see what is installed, register or remove one.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Download, list, show, add and remove local models.");
        command.Subcommands.Add(ModelPullCommand.Create());
        command.Subcommands.Add(ModelListCommand.Create());
        command.Subcommands.Add(ModelManageCommands.Show());
        command.Subcommands.Add(ModelManageCommands.Add());
        command.Subcommands.Add(ModelManageCommands.Remove());
        return command;
    }
}
