using Commons.Abstractions.Hosting;
using Microsoft.Extensions.Configuration;

namespace Commons.Personal.Hosting;

/// <summary>Where Commons reads its settings from, lowest precedence first.</summary>
public static class CommonsConfigurationExtensions
{
    /// <summary>The environment variable that names the model (a path or an installed model's name).</summary>
    public const string ModelVariable = "COMMONS_MODEL";

    /// <summary>
    /// The settings file in the data folder, then <c>COMMONS_</c> environment variables
    /// (<c>COMMONS_Model__Temperature</c>), then <c>COMMONS_MODEL</c>, then the given overrides (flags).
    /// A settings file that is not one JSON object stops here with a <see cref="CommonsException"/>.
    /// </summary>
    public static IConfigurationBuilder AddCommonsSettings(this IConfigurationBuilder configuration, CommonsHome home, IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(home);
        CommonsSettings.CheckFile(home.SettingsPath);
        configuration.AddJsonFile(home.SettingsPath, optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables("COMMONS_");
        var model = Environment.GetEnvironmentVariable(ModelVariable);
        if (!string.IsNullOrWhiteSpace(model))
        {
            configuration.AddInMemoryCollection([new("Model:Path", model)]);
        }

        configuration.AddInMemoryCollection(overrides);
        return configuration;
    }
}
