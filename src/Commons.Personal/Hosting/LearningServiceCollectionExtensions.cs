using Commons.Abstractions.Hosting;
using Commons.Inference.Embeddings;
using Commons.Learning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.Personal.Hosting;

/// <summary>Registers the playbook's options and the embedding generator it uses.</summary>
public static class LearningServiceCollectionExtensions
{
    /// <summary>
    /// Adds all-MiniLM-L6-v2 (loaded on first use) behind a SQLite cache in the data folder, so each
    /// distinct text is embedded once, and the playbook options.
    /// </summary>
    public static IServiceCollection AddLearning(this IServiceCollection services, IConfiguration configuration, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        services.AddOptions<PlaybookOptions>()
            .Bind(configuration.GetSection(PlaybookOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ =>
        {
            var cacheFolder = Path.Combine(home.Root, "cache");
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(cacheFolder);
            }
            else
            {
                // The cache holds the embeddings of the person's messages: private like the rest of the folder.
                Directory.CreateDirectory(cacheFolder, DataFolderPrivacy.PrivateFolder);
            }

            return new SqliteEmbeddingCache(new MiniLmEmbeddingGenerator(), Path.Combine(cacheFolder, "embeddings.db"));
        });
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
