using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Inference.Models;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons model pull NAME [--url URL]</c>: downloads a catalog model, resuming a partial
/// download, and installs it only once its sha256 matches the catalog.
/// </summary>
internal static class ModelPullCommand
{
    public static Command Create()
    {
        // Optional in the parser so a missing name gets the same one-sentence answer (and exit code) as a wrong one.
        var name = new Argument<string?>("name")
        {
            Description = "The catalog name of the model, e.g. qwen2.5-0.5b-instruct ('commons model list --available' shows them).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var url = new Option<string?>("--url")
        {
            Description = "Download from this address (a mirror) instead of the catalog's; the catalog's size and sha256 still apply.",
        };
        var command = new Command("pull", "Download a model from the catalog, verify its sha256 and install it; an interrupted pull resumes.");
        command.Arguments.Add(name);
        command.Options.Add(url);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(name), parse.GetValue(url), cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string? name, string? url, CancellationToken cancellationToken)
    {
        var catalog = ModelCatalog.LoadEmbedded();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CommonsException(
                $"Name the model to pull, for example 'commons model pull {catalog.Default.Name}'; 'commons model list --available' shows them all.");
        }

        var entry = catalog.Get(name);
        var source = ParseSource(url);
        var home = CommonsHome.FromEnvironment().EnsureUsable();
        using var http = ModelDownloader.CreateHttpClient();
        var downloader = new ModelDownloader(http, home.ModelsFolder);
        using var interrupt = new ModelInterrupt(cancellationToken);

        Console.Out.WriteLine(
            $"{entry.Name}: {ByteCount.Format(entry.Size)}, licence {entry.Licence}, from {(source ?? entry.Url).Host}, into {home.ModelsFolder}");
        PullResult result;
        try
        {
            result = IsInteractive()
                ? await AnsiConsole.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(
                        new TaskDescriptionColumn(),
                        new ProgressBarColumn(),
                        new PercentageColumn(),
                        // Decimal units, as the catalog and download pages give sizes.
                        new DownloadedColumn { Base = FileSizeBase.Decimal },
                        new TransferSpeedColumn { Base = FileSizeBase.Decimal },
                        new RemainingTimeColumn())
                    .StartAsync(context => downloader.PullAsync(entry, source, new ModelProgressBar(context, entry.Name), interrupt.Token))
                : await downloader.PullAsync(entry, source, new ModelProgressLines(Console.Out, entry.Name), interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            CommandRunner.WriteError($"Stopped; what was downloaded is kept, and 'commons model pull {entry.Name}' resumes it.");
            return 130;
        }

        Console.Out.WriteLine(result.Outcome == PullOutcome.AlreadyInstalled
            ? $"{entry.Name} is already installed and intact: {result.FilePath}"
            : $"Installed {entry.Name} ({ByteCount.Format(entry.Size)}, sha256 verified): {result.FilePath}");
        Console.Out.WriteLine($"Chat with it: commons chat --model {entry.Name}");
        return 0;
    }

    private static Uri? ParseSource(string? url)
    {
        if (url is null)
        {
            return null;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var source) || (source.Scheme != Uri.UriSchemeHttps && source.Scheme != Uri.UriSchemeHttp))
        {
            throw new CommonsException($"--url '{url}' is not an http or https address.");
        }

        return source;
    }

    private static bool IsInteractive() => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
