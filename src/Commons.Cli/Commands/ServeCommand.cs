using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Serve.Hosting;

namespace Commons.Cli.Commands;

/// <summary><c>commons serve</c>: the personal agent as a local service with an OpenAI-compatible API.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run your personal agent as a local service: an OpenAI-compatible API on 127.0.0.1, the model, and background pool sync, until stopped.");
        var model = new ModelSettingsOptions(command, remote: true);
        var urls = new Option<string?>("--urls") { Description = $"Where the API listens (default {ServeOptions.DefaultUrls}); an address beyond this machine needs Serve:ApiKey." };
        command.Options.Add(urls);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var home = CommonsHome.FromEnvironment();
            var settings = new Dictionary<string, string?>(model.Resolve(parse));
            if (parse.GetValue(urls) is { Length: > 0 } given)
            {
                settings["Serve:Urls"] = given;
            }

            StartChecks.Run(home, settings);
            await using var server = await CommonsServer.StartAsync(home, settings, model.ConfigureLogging(parse), cancellationToken);
            Console.Out.WriteLine($"commons serve: listening on {server.Url.ToString().TrimEnd('/')} (model {server.Silo.ModelName}, data in {home.Root}); OpenAI-compatible API at {server.Url}v1; Ctrl-C stops it");
            await Console.Out.FlushAsync(cancellationToken);
            await server.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
