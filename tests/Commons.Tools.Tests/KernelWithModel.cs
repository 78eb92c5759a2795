using Commons.Inference.Llama;
using Commons.Tools.Approval;
using Commons.Tools.Policy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Commons.Tools.Tests;

/// <summary>
/// The production chain on the tiny model: <see cref="LlamaChatClient"/> wrapped with Semantic
/// Kernel's function invocation, as a chat completion service, in a <see cref="Kernel"/> with the
/// given plugins and the <see cref="ToolGuardFilter"/>.
/// </summary>
internal sealed class KernelWithModel : IDisposable
{
    private readonly ServiceProvider _services;

    public KernelWithModel(ToolPolicy policy, ToolInteraction interaction, params KernelPlugin[] plugins)
    {
        Model = LocalModel.Load(
            TestFiles.Model("stories260K.gguf"),
            new ModelOptions { MaxTokens = 512, Temperature = 0, ContextSize = 2048, Threads = 2 },
            NullLoggerFactory.Instance);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IChatClient>(sp => new LlamaChatClient(Model).AsBuilder().UseKernelFunctionInvocation().Build(sp));
        services.AddSingleton<IChatCompletionService>(sp => sp.GetRequiredService<IChatClient>().AsChatCompletionService(sp));
        foreach (var plugin in plugins)
        {
            services.AddSingleton(plugin);
        }

        services.AddSingleton<IAutoFunctionInvocationFilter>(sp => new ToolGuardFilter(policy, interaction, sp.GetRequiredService<ILogger<ToolGuardFilter>>()));
        _services = services.BuildServiceProvider();
        Kernel = new Kernel(_services);
    }

    public LocalModel Model { get; }

    public Kernel Kernel { get; }

    public IChatCompletionService Chat => Kernel.GetRequiredService<IChatCompletionService>();

    public void Dispose()
    {
        _services.Dispose();
        Model.Dispose();
    }
}
