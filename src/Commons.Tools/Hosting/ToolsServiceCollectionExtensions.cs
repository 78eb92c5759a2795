using Commons.Abstractions.Hosting;
using Commons.Tools.Approval;
using Commons.Tools.Files;
using Commons.Tools.Plugins;
using Commons.Tools.Policy;
using Commons.Tools.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Hosting;

/// <summary>Registers the tool plugins, the tool policy and the guard that applies it.</summary>
public static class ToolsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the notes, tasks, calendar, files, time and calculator plugins as <see cref="KernelPlugin"/>s
    /// (a <see cref="Kernel"/> built from the service provider picks them up), the
    /// <see cref="ToolGuardFilter"/> as an auto-invocation filter, and <see cref="ToolInteraction"/>
    /// for the chat to attach its y/n prompt. The policy is read now: a malformed
    /// <c>tools.yaml</c> or an unknown time zone stops start-up with a <see cref="CommonsException"/>.
    /// </summary>
    public static IServiceCollection AddTools(this IServiceCollection services, IConfiguration configuration, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(home);
        var options = configuration.GetSection(ToolsOptions.SectionName).Get<ToolsOptions>() ?? new ToolsOptions();
        services.AddSingleton(options);
        services.AddSingleton<ToolInteraction>();
        if (!options.Enabled)
        {
            return services;
        }

        var policyPath = Path.Combine(ToolPolicyLoader.ResolveFolder(options.PoliciesFolder, home.Root), ToolPolicyLoader.FileName);
        ToolPolicy policy;
        try
        {
            policy = ToolPolicyLoader.LoadOrDefault(policyPath);
        }
        catch (ToolPolicyException ex)
        {
            throw new CommonsException($"The tool policy cannot be used: {ex.Message}", ex);
        }

        var zone = ResolveZone(options.TimeZone);
        services.AddSingleton(policy);
        services.AddSingleton(new AllowedFolders(policy.Folders));
        services.AddSingleton(new ToolsDatabase(options.DatabasePath ?? Path.Combine(home.Root, ToolsDatabase.FileName)));
        services.AddSingleton(sp => new PersonClock(sp.GetService<TimeProvider>() ?? TimeProvider.System, zone));
        services.AddSingleton<NotesPlugin>();
        services.AddSingleton<TasksPlugin>();
        services.AddSingleton<CalendarPlugin>();
        services.AddSingleton<FilesPlugin>();
        services.AddSingleton<TimePlugin>();
        services.AddSingleton<CalculatorPlugin>();
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<NotesPlugin>(), NotesPlugin.PluginName));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<TasksPlugin>(), TasksPlugin.PluginName));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<CalendarPlugin>(), CalendarPlugin.PluginName));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<FilesPlugin>(), FilesPlugin.PluginName));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<TimePlugin>(), TimePlugin.PluginName));
        services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<CalculatorPlugin>(), CalculatorPlugin.PluginName));
        services.AddSingleton<IAutoFunctionInvocationFilter>(sp => new ToolGuardFilter(
            sp.GetRequiredService<ToolPolicy>(), sp.GetRequiredService<ToolInteraction>(), sp.GetRequiredService<ILogger<ToolGuardFilter>>()));
        return services;
    }

    private static TimeZoneInfo ResolveZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw new CommonsException($"Tools:TimeZone '{id}' is not a time zone this machine knows (use an IANA id such as Europe/Berlin).");
    }
}
