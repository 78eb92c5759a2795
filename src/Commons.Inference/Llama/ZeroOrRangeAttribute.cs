using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Commons.Inference.Llama;

/// <summary>A whole-number setting that is 0 (meaning "choose for me") or lies from <see cref="Minimum"/> to <see cref="Maximum"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ZeroOrRangeAttribute(int minimum, int maximum) : ValidationAttribute
{
    public int Minimum { get; } = minimum;

    public int Maximum { get; } = maximum;

    /// <summary>What a zero means, for the error sentence ("the model's own").</summary>
    public string ZeroMeans { get; init; } = "the default";

    public override bool IsValid(object? value) =>
        value is not int number || number == 0 || (number >= Minimum && number <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"The field {name} must be 0 ({ZeroMeans}) or from {Minimum} to {Maximum}.");
}
