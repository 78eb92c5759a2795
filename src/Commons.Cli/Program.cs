using System.CommandLine;
using Commons.Cli;
using Commons.Cli.Commands;

StartChecks.MakeNewFilesPrivate();

var root = new RootCommand("Commons: your own AI agent, on your own machine, learning with others without sharing your data.");
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(PlaybookCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(RedactCommand.Create());
root.Subcommands.Add(PolicyCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ShareCommand.Create());
root.Subcommands.Add(InsightsCommand.Create());
root.Subcommands.Add(PoolCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

return await CommandRunner.InvokeAsync(root, args);
