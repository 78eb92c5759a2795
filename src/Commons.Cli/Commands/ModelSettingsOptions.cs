using System.CommandLine;
using System.Globalization;
using Commons.Abstractions.Agents;
using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Microsoft.Extensions.Logging;

namespace Commons.Cli.Commands;

/// <summary>The model flags shared by the commands that run the model (chat, bench).</summary>
internal sealed class ModelSettingsOptions
{
    private readonly Option<string?> _model = new("--model", "-m") { Description = "GGUF file, or the name of a model installed with 'commons model pull' (default: COMMONS_MODEL, then settings)." };
    private readonly Option<float?> _temperature = SettingOption.Create<float>("--temperature", nameof(ModelOptions.Temperature), "Sampling temperature; 0 is greedy.");
    private readonly Option<int?> _maxTokens = SettingOption.Create<int>("--max-tokens", nameof(ModelOptions.MaxTokens), "Largest number of tokens in one reply.");
    private readonly Option<int?> _contextSize = SettingOption.Create<int>("--context-size", nameof(ModelOptions.ContextSize), "Context window in tokens (default: the model's own, at most 4096).");
    private readonly Option<int?> _threads = SettingOption.Create<int>("--threads", nameof(ModelOptions.Threads), "CPU threads for inference (default: all cores).");
    private readonly Option<uint?> _seed = SettingOption.Create<uint>("--seed", nameof(ModelOptions.Seed), "Sampling seed, to reproduce replies (default: a new one for every reply).");
    private readonly Option<string?> _template = new("--template") { Description = "Chat template name when the model has none, e.g. chatml, llama3." };
    private readonly Option<string?> _endpoint = new("--model-endpoint") { Description = "Use the model of an OpenAI-compatible server instead of a local one, e.g. http://127.0.0.1:11434/v1 (--model names it there; the conversation leaves this machine; a key goes in Model:ApiKey)." };
    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Show diagnostic logs on standard error." };

    /// <param name="command">The command that takes the flags.</param>
    /// <param name="remote">Whether the command can use a remote model (<c>--model-endpoint</c>): chat and serve can, the benchmarks cannot.</param>
    public ModelSettingsOptions(Command command, bool remote = false)
    {
        command.Options.Add(_model);
        command.Options.Add(_temperature);
        command.Options.Add(_maxTokens);
        command.Options.Add(_contextSize);
        command.Options.Add(_threads);
        command.Options.Add(_seed);
        command.Options.Add(_template);
        if (remote)
        {
            command.Options.Add(_endpoint);
        }
        command.Options.Add(_verbose);
    }

    /// <summary>The configuration overrides the flags give (the model as given: a file or an installed model's name).</summary>
    public IReadOnlyDictionary<string, string?> Resolve(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var settings = new Dictionary<string, string?>();
        Put(settings, "Model:Path", parse.GetValue(_model));
        Put(settings, "Model:Temperature", parse.GetValue(_temperature)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "Model:MaxTokens", parse.GetValue(_maxTokens)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "Model:ContextSize", parse.GetValue(_contextSize)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "Model:Threads", parse.GetValue(_threads)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "Model:Seed", parse.GetValue(_seed)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "Model:ChatTemplate", parse.GetValue(_template));
        Put(settings, "Model:Endpoint", parse.GetValue(_endpoint));
        return settings;
    }

    /// <summary>
    /// The flags that hold for each reply rather than for loading the model (--max-tokens, --temperature, --seed), as
    /// a turn's own sampling: how a chat attached to a running serve gets them to the serve's model. Null when none is given.
    /// </summary>
    public TurnSampling? Sampling(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var maxTokens = parse.GetValue(_maxTokens);
        var temperature = parse.GetValue(_temperature);
        var seed = parse.GetValue(_seed);
        return maxTokens is null && temperature is null && seed is null
            ? null
            : new TurnSampling(Temperature: temperature, MaxTokens: maxTokens, Seed: seed);
    }

    /// <summary>The flags given that only loading a model takes (--model, --context-size, --threads, --template), as typed.</summary>
    public IReadOnlyList<string> LoadFlagsGiven(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return [.. new Option[] { _model, _contextSize, _threads, _template }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)];
    }

    /// <summary>
    /// Logs go to standard error, errors only by default (what a person needs to know is said in plain
    /// sentences, not log lines), diagnostics with --verbose.
    /// </summary>
    public Action<ILoggingBuilder> ConfigureLogging(ParseResult parse)
    {
        var verbose = parse.GetValue(_verbose);
        return logging =>
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = false;
            });
            logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Error);
            logging.AddFilter("Orleans", verbose ? LogLevel.Information : LogLevel.Error);
            logging.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Error);
            // llama.cpp's own log (routed through the model's logger) is diagnostics only.
            logging.AddFilter(LocalModel.NativeLogCategory, verbose ? LogLevel.Debug : LogLevel.Error);
            // Retries of a pool that is down are the background sync's business; /pools says how it went.
            logging.AddFilter("Polly", verbose ? LogLevel.Information : LogLevel.None);
        };
    }

    private static void Put(Dictionary<string, string?> settings, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            settings[key] = value;
        }
    }
}
