using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Commons.Inference.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Commons.Personal.Hosting;

/// <summary>Registers the local model and the Semantic Kernel that drives it.</summary>
public static class LocalModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds the model (loaded once, on first use), its <see cref="IChatClient"/> with Semantic
    /// Kernel's function invocation, the chat completion service and the <see cref="Kernel"/>.
    /// </summary>
    public static IServiceCollection AddLocalModel(this IServiceCollection services, IConfiguration configuration, CommonsHome home)
    {
        services.AddOptions<ModelOptions>()
            .Bind(configuration.GetSection(ModelOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (!string.IsNullOrWhiteSpace(configuration[$"{ModelOptions.SectionName}:{nameof(ModelOptions.Endpoint)}"]))
        {
            // A remote model by explicit choice: no local weights are loaded.
            services.AddSingleton(sp => RemoteModel.Connect(sp.GetRequiredService<IOptions<ModelOptions>>().Value));
            services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<RemoteModel>().Client
                .AsBuilder()
                .UseKernelFunctionInvocation()
                .Build(sp));
        }
        else
        {
            // The model in a slot, so that a running serve can put another installed model in its place.
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
                var loggers = sp.GetRequiredService<ILoggerFactory>();
                var store = ModelStore.ForHome(home);
                return new ModelSlot(LocalModel.Load(ResolveModelPath(options.Path, home), options, loggers), path => LocalModel.Load(path, options, loggers), store.NameOf);
            });
            services.AddSingleton(sp => new ModelChoice(ModelStore.ForHome(home), sp.GetRequiredService<ModelSlot>(), sp.GetService<TimeProvider>()));
            services.AddSingleton<IChatClient>(sp => new SlotChatClient(sp.GetRequiredService<ModelSlot>())
                .AsBuilder()
                .UseKernelFunctionInvocation()
                .Build(sp));
        }

        services.AddSingleton<IChatCompletionService>(sp => sp.GetRequiredService<IChatClient>().AsChatCompletionService(sp));
        services.AddSingleton(sp => new Kernel(sp));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// The GGUF file a model setting means: an installed model's name (<c>commons model pull</c>),
    /// else a path; with no setting, the catalog's default model when it is installed.
    /// </summary>
    public static string ResolveModelPath(string? setting, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var store = ModelStore.ForHome(home);
        if (string.IsNullOrWhiteSpace(setting))
        {
            return store.Resolve(store.Catalog.Default.Name)
                ?? throw new CommonsException($"No model is set: pass --model PATH, set {CommonsConfigurationExtensions.ModelVariable}, or run 'commons model pull {store.Catalog.Default.Name}'.");
        }

        if (store.Resolve(setting) is { } installed)
        {
            return installed;
        }

        // A bare word that is no file here is meant as a model's name: say which names there are.
        var bareName = setting.Trim() == Path.GetFileName(setting.Trim()) && !File.Exists(setting);
        if (!bareName)
        {
            return setting;
        }

        var names = store.List().Select(m => m.Name).ToList();
        var pull = store.Catalog.Find(setting.Trim()) is { } known
            ? $"run 'commons model pull {known.Name}' to install it"
            : "see 'commons model list' for the models you can pull";
        throw new CommonsException(names.Count == 0
            ? $"No model named \"{setting}\" is installed, and no file of that name is here; no models are installed yet: {pull}, or give the path of a .gguf file."
            : $"No model named \"{setting}\" is installed, and no file of that name is here; the installed models are {string.Join(", ", names)} ({pull}, or give the path of a .gguf file).");
    }
}
