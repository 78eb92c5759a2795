using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
    public static IServiceCollection AddLocalModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelOptions>()
            .Bind(configuration.GetSection(ModelOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            var path = options.Path;
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new CommonsException("No model is set: pass --model PATH, set COMMONS_MODEL, or run 'commons model pull qwen2.5-0.5b-instruct'.");
            }

            return LocalModel.Load(path, options, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(sp => new LlamaChatClient(sp.GetRequiredService<LocalModel>()));
        services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<LlamaChatClient>()
            .AsBuilder()
            .UseKernelFunctionInvocation()
            .Build(sp));
        services.AddSingleton<IChatCompletionService>(sp => sp.GetRequiredService<IChatClient>().AsChatCompletionService(sp));
        services.AddSingleton(sp => new Kernel(sp));
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
