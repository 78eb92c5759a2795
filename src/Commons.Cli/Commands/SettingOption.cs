using System.CommandLine;
using System.Reflection;
using Commons.Inference.Llama;
using Commons.Personal.Hosting;

namespace Commons.Cli.Commands;

/// <summary>
/// A flag that sets a <c>Model</c> setting, checked like the setting itself: a bad value is one sentence
/// naming the flag and what is valid, instead of System.CommandLine's type name and the whole help.
/// </summary>
internal static class SettingOption
{
    public static Option<T?> Create<T>(string name, string property, string description)
        where T : struct
    {
        var setting = typeof(ModelOptions).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"ModelOptions has no property {property}.", nameof(property));
        return new Option<T?>(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                if (result.Tokens.Count == 1 && SettingValues.TryConvert(setting, text, out var value) && value is T typed)
                {
                    return typed;
                }

                result.AddError($"{name} (the setting {ModelOptions.SectionName}:{property}) is \"{text}\", but it must be {SettingValues.Describe(setting)}.");
                return null;
            },
        };
    }
}
