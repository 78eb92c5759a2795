using System.Reflection;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Inference.Llama;
using Commons.Learning;
using Commons.Personal.Agents;
using Commons.Personal.Pools;
using Commons.Personal.Sharing;
using Commons.Tools.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Quickenshtein;

namespace Commons.Personal.Hosting;

/// <summary>
/// The settings a person can write (in <c>settings.json</c> or as <c>COMMONS_Section__Key</c>), checked
/// before anything binds them: a value of the wrong kind becomes one sentence naming the setting and
/// where it came from, and an unknown key a warning naming the nearest known one.
/// </summary>
public static class CommonsSettings
{
    private const string EnvironmentPrefix = "COMMONS_";

    private static readonly (string Name, Type Options)[] Sections =
    [
        (ModelOptions.SectionName, typeof(ModelOptions)),
        (AgentOptions.SectionName, typeof(AgentOptions)),
        (PlaybookOptions.SectionName, typeof(PlaybookOptions)),
        (ToolsOptions.SectionName, typeof(ToolsOptions)),
        (SharingOptions.SectionName, typeof(SharingOptions)),
        (PoolSyncOptions.SectionName, typeof(PoolSyncOptions)),
    ];

    // Known sections whose keys are checked elsewhere: Silo and Pool by 'commons pool serve' (the community silo), Serve by 'commons serve'.
    private static readonly string[] OtherSections = ["Silo", "Pool", "Serve"];

    /// <summary>
    /// Reads <paramref name="path"/> as the configuration reader would and throws a
    /// <see cref="CommonsException"/> naming the file and line when it is not one JSON object.
    /// </summary>
    public static void CheckFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return;
        }

        using var document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new CommonsException($"The settings file {path} must hold one JSON object, such as {{ \"Model\": {{ \"Temperature\": 0.7 }} }}.");
        }
    }

    /// <summary>
    /// Throws a <see cref="CommonsException"/> for the first setting whose value cannot become its type
    /// or is out of its range (<c>"Temperature": "hot"</c>), naming the setting, where it was written and what is valid.
    /// </summary>
    public static void Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (section, type) in Sections)
        {
            foreach (var property in Settable(type))
            {
                var key = $"{section}:{property.Name}";
                var value = configuration[key];
                var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null;
                if (value is null || property.PropertyType == typeof(string) || (value.Length == 0 && nullable))
                {
                    continue;
                }

                if (!SettingValues.TryConvert(property, value, out _))
                {
                    throw new CommonsException($"{Source(configuration, key)} is \"{value}\", but it must be {SettingValues.Describe(property)}.");
                }
            }
        }
    }

    /// <summary>
    /// One sentence for each key in the settings file or in a <c>COMMONS_Section__Key</c> variable that
    /// Commons does not know, with the nearest known key; an unreadable file gives none (see <see cref="CheckFile"/>).
    /// </summary>
    public static IReadOnlyList<string> FindUnknownKeys(CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var warnings = new List<string>();
        if (File.Exists(home.SettingsPath))
        {
            try
            {
                using var document = Parse(home.SettingsPath);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var section in document.RootElement.EnumerateObject())
                    {
                        var keys = section.Value.ValueKind == JsonValueKind.Object
                            ? section.Value.EnumerateObject().Select(p => p.Name)
                            : [];
                        warnings.AddRange(Unknown(section.Name, keys).Select(k => $"{home.SettingsPath} has the unknown setting {k}."));
                    }
                }
            }
            catch (CommonsException)
            {
                // CheckFile reports it.
            }
        }

        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Order(StringComparer.Ordinal))
        {
            // COMMONS_HOME, COMMONS_MODEL and the like are not section settings.
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || !name.Contains("__", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = name[EnvironmentPrefix.Length..].Split("__", 2);
            warnings.AddRange(Unknown(parts[0], [parts[1].Replace("__", ":", StringComparison.Ordinal)])
                .Select(k => $"The environment variable {name} names the unknown setting {k}."));
        }

        return warnings;
    }

    private static IEnumerable<string> Unknown(string sectionName, IEnumerable<string> keys)
    {
        if (OtherSections.Contains(sectionName, StringComparer.OrdinalIgnoreCase))
        {
            yield break;
        }

        var known = Sections.FirstOrDefault(s => string.Equals(s.Name, sectionName, StringComparison.OrdinalIgnoreCase));
        if (known.Options is null)
        {
            yield return $"\"{sectionName}\"{Suggest(sectionName, Sections.Select(s => s.Name).Concat(OtherSections))}";
            yield break;
        }

        var names = Settable(known.Options).Select(p => p.Name).ToList();
        foreach (var key in keys)
        {
            var first = key.Split(':')[0];
            if (!names.Contains(first, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"\"{known.Name}:{key}\"{Suggest(first, names, known.Name + ":")}";
            }
        }
    }

    private static string Suggest(string written, IEnumerable<string> known, string prefix = "")
    {
        var candidates = known.ToList();
        var nearest = candidates
            .Select(k => (Key: k, Distance: Levenshtein.GetDistance(written.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .First();
        return nearest.Distance <= Math.Max(2, written.Length / 3)
            ? $" (did you mean \"{prefix}{nearest.Key}\"?); it is ignored"
            : $" (known ones are {string.Join(", ", candidates.Select(c => prefix + c))}); it is ignored";
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            // The same reader options as the configuration's JSON provider.
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? $" at line {n + 1}" : "";
            throw new CommonsException($"The settings file {path} is not valid JSON{line} (cut off, or a comma or quote missing); fix it or move it away.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"The settings file {path} cannot be read: {ex.Message}", ex);
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    /// <summary>"The setting Model:Temperature in /home/.../settings.json", or the environment variable that set it.</summary>
    private static string Source(IConfiguration configuration, string key)
    {
        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.Reverse())
            {
                if (!provider.TryGet(key, out _))
                {
                    continue;
                }

                switch (provider)
                {
                    case EnvironmentVariablesConfigurationProvider:
                        return $"The environment variable {EnvironmentName(key)}";
                    case JsonConfigurationProvider json:
                        var file = json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "").PhysicalPath ?? json.Source.Path;
                        return $"The setting {key} in {file}";
                }

                break;
            }
        }

        return $"The setting {key}";
    }

    private static string EnvironmentName(string key)
    {
        var wanted = EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);
        return Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .FirstOrDefault(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase)) ?? wanted;
    }
}
