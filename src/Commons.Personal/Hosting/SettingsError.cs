using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Commons.Personal.Hosting;

/// <summary>Turns an options validation failure into a sentence that names the setting as a person writes it.</summary>
public static partial class SettingsError
{
    public static string Describe(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var section = exception.OptionsType.Name.EndsWith("Options", StringComparison.Ordinal)
            ? exception.OptionsType.Name[..^"Options".Length]
            : exception.OptionsType.Name;
        var failure = exception.Failures.FirstOrDefault() ?? exception.Message;
        var match = DataAnnotationFailure().Match(failure);
        return match.Success
            ? $"The setting {section}:{match.Groups["member"].Value} is invalid: {match.Groups["error"].Value.TrimEnd('.')}."
            : $"A {section} setting is invalid: {failure}";
    }

    [GeneratedRegex(@"'(?<member>\w+)' with the error: '(?<error>[^']+)'")]
    private static partial Regex DataAnnotationFailure();
}
