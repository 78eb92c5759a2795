using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Commons.Inference.Llama;

namespace Commons.Personal.Hosting;

/// <summary>
/// What a setting accepts, read from its options property (its type and validation attributes), so a
/// settings file, an environment variable and a command-line flag are checked and explained alike.
/// </summary>
public static class SettingValues
{
    /// <summary>
    /// Converts <paramref name="text"/> as the configuration binder would and checks the property's
    /// validation attributes; false when the value is of the wrong kind or out of range.
    /// </summary>
    public static bool TryConvert(PropertyInfo property, string text, out object? value)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        var target = Target(property);
        try
        {
            value = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(text);
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }

        if (value is float f && !float.IsFinite(f) || value is double d && !double.IsFinite(d))
        {
            return false;
        }

        var context = new ValidationContext(new object()) { MemberName = property.Name };
        return Validator.TryValidateValue(value!, context, null, property.GetCustomAttributes<ValidationAttribute>());
    }

    /// <summary>"a number from 0 to 5, such as 0.7", "true or false", "0 (the model's own) or a whole number from 256 to 1048576".</summary>
    public static string Describe(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var target = Target(property);
        if (property.GetCustomAttribute<ZeroOrRangeAttribute>() is { } zeroOr)
        {
            return string.Create(CultureInfo.InvariantCulture, $"0 ({zeroOr.ZeroMeans}) or a whole number from {zeroOr.Minimum} to {zeroOr.Maximum}");
        }

        var range = property.GetCustomAttribute<RangeAttribute>();
        var bounds = range is null ? "" : string.Create(CultureInfo.InvariantCulture, $" from {range.Minimum} to {range.Maximum}");
        if (target == typeof(bool))
        {
            return "true or false";
        }

        if (target == typeof(float) || target == typeof(double))
        {
            return $"a number{bounds}, such as {Default(property)}";
        }

        if (target == typeof(int) || target == typeof(long) || target == typeof(uint))
        {
            return bounds.Length > 0 || target != typeof(uint) ? $"a whole number{bounds}" : "a whole number from 0 to 4294967295";
        }

        return $"a {target.Name}";
    }

    private static Type Target(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

    private static string Default(PropertyInfo property)
    {
        var defaults = Activator.CreateInstance(property.DeclaringType!);
        return Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture) ?? "0";
    }
}
