using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Personal.Hosting;
using Commons.Serve.Hosting;
using Microsoft.Extensions.Configuration;

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
            // A remote model sees every conversation the API carries: the person agrees once per server, at a
            // terminal (here, or in 'commons chat --model-endpoint'); a service started without it does not start.
            var endpoint = new ConfigurationBuilder().AddCommonsSettings(home, settings).Build()["Model:Endpoint"];
            if (!string.IsNullOrWhiteSpace(endpoint) && !RemoteModelConsent.IsGiven(home, endpoint)
                && (Console.IsInputRedirected || !RemoteConsentPrompt.Ask(home, endpoint, Console.In)))
            {
                if (Console.IsInputRedirected)
                {
                    CommandRunner.WriteError($"Using the model at {endpoint} needs your consent once: run 'commons serve' (or 'commons chat') with it at a terminal and answer y.");
                }

                return CommandRunner.BadInput;
            }

            await using var server = await CommonsServer.StartAsync(home, settings, model.ConfigureLogging(parse), cancellationToken);
            Console.Out.WriteLine($"commons serve: listening on {server.Url.ToString().TrimEnd('/')} (model {server.Silo.ModelName}, data in {home.Root}); OpenAI-compatible API at {server.Url}v1; Ctrl-C stops it");
            await Console.Out.FlushAsync(cancellationToken);
            await server.WaitForShutdownAsync(cancellationToken);
            await ServeShutdown.FinishBackgroundWorkAsync(server.Silo, "commons serve", again: true);
            return 0;
        });
        return command;
    }
}
