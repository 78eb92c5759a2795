using Commons.Abstractions.Hosting;
using Commons.Personal.Learning;
using Commons.Personal.Sharing;
using Commons.Privacy.Budget;
using Commons.Privacy.Export;
using Commons.Privacy.Noise;
using Commons.Privacy.Policies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Hosting;

/// <summary>Registers what sharing and importing need: the policies, the export pipeline, the guard-rails and the contributor key.</summary>
public static class SharingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the policy provider (reloaded on change), the export pipeline with the epsilon ledger in
    /// <c>$COMMONS_HOME/privacy/epsilon.json</c>, the guard-rails from the same policies folder, the
    /// contributor key store in <c>$COMMONS_HOME/keys</c>, the known entities and the topic classifier.
    /// Needs <see cref="LearningServiceCollectionExtensions.AddLearning"/> (embeddings, time) first.
    /// </summary>
    public static IServiceCollection AddSharing(this IServiceCollection services, IConfiguration configuration, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        services.AddOptions<SharingOptions>()
            .Bind(configuration.GetSection(SharingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new PolicyProvider(PolicyLocator.Resolve(sp.GetRequiredService<IOptions<SharingOptions>>().Value.PoliciesFolder, home.Root)));
        services.AddSingleton(sp => new GuardRailProvider(sp.GetRequiredService<PolicyProvider>().Directory));
        services.AddSingleton<IEpsilonBudgetStore>(_ => new FileEpsilonBudgetStore(Path.Combine(home.Root, "privacy", "epsilon.json")));
        services.AddSingleton(sp => new ExportPipeline(
            sp.GetRequiredService<PolicyProvider>(),
            sp.GetRequiredService<IEpsilonBudgetStore>(),
            CryptoRandomSource.Instance,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new ContributorKeyStore(home));
        services.AddSingleton<IKnownEntitySource>(_ => new FileKnownEntitySource(home));
        services.AddSingleton<IOwnerPrivacy, SingleOwnerPrivacy>();
        services.AddSingleton<TopicClassifier>();
        return services;
    }
}
