using System.Text;
using Commons.Abstractions.Hosting;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Commons.Inference.Llama;

/// <summary>
/// The local GGUF model, loaded once per process. Replies are generated through
/// <see cref="LlamaChatClient"/>; this type owns the weights, the chat template and the bound on
/// concurrent inference.
/// </summary>
public sealed partial class LocalModel : IDisposable
{
    /// <summary>The template llama.cpp falls back to when the file carries none.</summary>
    public const string FallbackTemplate = "chatml";

    private const int DefaultContextCap = 4096;
    private readonly SemaphoreSlim _concurrency;

    private LocalModel(string path, LLamaWeights weights, ModelParams parameters, string templateName, bool templateFromFile, ModelOptions options)
    {
        FilePath = path;
        Weights = weights;
        Parameters = parameters;
        TemplateName = templateName;
        TemplateFromFile = templateFromFile;
        Options = options;
        _concurrency = new SemaphoreSlim(options.MaxConcurrentReplies, options.MaxConcurrentReplies);
    }

    /// <summary>The GGUF file the weights came from.</summary>
    public string FilePath { get; }

    /// <summary>A short name for the model: its file name without extension.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(FilePath);

    public LLamaWeights Weights { get; }

    /// <summary>Context and thread settings every inference uses.</summary>
    public ModelParams Parameters { get; }

    /// <summary>The template's name when it is a named fallback, or "gguf" when it comes from the file.</summary>
    public string TemplateName { get; }

    /// <summary>True when the chat template came from the GGUF file's metadata.</summary>
    public bool TemplateFromFile { get; }

    public ModelOptions Options { get; }

    /// <summary>Context window in tokens.</summary>
    public int ContextSize => (int)(Parameters.ContextSize ?? DefaultContextCap);

    /// <summary>
    /// Validates and loads a GGUF file. A missing, damaged or foreign file becomes a
    /// <see cref="CommonsException"/> naming it.
    /// </summary>
    public static LocalModel Load(string path, ModelOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<LocalModel>();
        var fullPath = System.IO.Path.GetFullPath(path);
        // Read the header first: llama.cpp's own errors on a foreign or cut-short file are unclear.
        var info = Gguf.GgufReader.Read(fullPath);
        var contextSize = options.ContextSize > 0
            ? options.ContextSize
            : (int)Math.Clamp(info.ContextLength ?? DefaultContextCap, 1, DefaultContextCap);
        var parameters = new ModelParams(fullPath)
        {
            ContextSize = (uint)contextSize,
            GpuLayerCount = 0,
            Threads = options.Threads > 0 ? options.Threads : Math.Max(1, Environment.ProcessorCount),
            BatchSize = (uint)Math.Min(contextSize, 512),
        };

        RouteNativeLog(loggers.CreateLogger(NativeLogCategory));
        if (options.ChatTemplate is { } named && !ChatTemplates.CanRender(named))
        {
            throw new CommonsException($"The chat template \"{named}\" (--template or Model:ChatTemplate) is not one llama.cpp knows; use one of: {string.Join(", ", ChatTemplates.BuiltIn)}.");
        }

        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException ex)
        {
            throw new CommonsException($"The model file {fullPath} could not be loaded: llama.cpp rejected it (is it damaged, or for an architecture this version does not know?).", ex);
        }

        string templateName;
        var fromFile = options.ChatTemplate is null && !string.IsNullOrEmpty(info.ChatTemplate);
        if (fromFile)
        {
            templateName = "gguf";
        }
        else
        {
            templateName = options.ChatTemplate ?? FallbackTemplate;
            if (options.ChatTemplate is null)
            {
                LogNoTemplate(logger, System.IO.Path.GetFileName(fullPath), templateName);
            }
        }

        return new LocalModel(fullPath, weights, parameters, templateName, fromFile, options);
    }

    /// <summary>The log category of llama.cpp's own messages.</summary>
    public const string NativeLogCategory = "LLama.Native";

    private static int _nativeLogRouted;

    /// <summary>llama.cpp writes to stderr unless told otherwise; its lines go to the logger instead.</summary>
    private static void RouteNativeLog(ILogger logger)
    {
        if (Interlocked.Exchange(ref _nativeLogRouted, 1) == 0)
        {
            NativeLogConfig.llama_log_set(logger);
        }
    }

    /// <summary>Creates the template renderer for one prompt.</summary>
    public LLamaTemplate CreateTemplate() => TemplateFromFile
        ? new LLamaTemplate(Weights, strict: true) { AddAssistant = true }
        : new LLamaTemplate(TemplateName) { AddAssistant = true };

    /// <summary>Counts the tokens of already-templated text.</summary>
    public int CountTokens(string text) => Weights.Tokenize(text, add_bos: true, special: true, Encoding.UTF8).Length;

    /// <summary>Waits for an inference slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_concurrency);
    }

    public void Dispose()
    {
        Weights.Dispose();
        _concurrency.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model file {File} has no chat template; using the named template '{Template}'. Set Model:ChatTemplate (or --template) if replies look wrong.")]
    private static partial void LogNoTemplate(ILogger logger, string file, string template);

    private sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
