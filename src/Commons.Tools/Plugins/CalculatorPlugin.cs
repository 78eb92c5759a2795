using System.ComponentModel;
using System.Globalization;
using Commons.Tools.Calculator;
using Microsoft.SemanticKernel;

namespace Commons.Tools.Plugins;

/// <summary>Exact decimal arithmetic, so sums of money and percentages come out right.</summary>
public sealed class CalculatorPlugin
{
    public const string PluginName = "calculator";

    [KernelFunction("evaluate")]
    [Description("Calculates an arithmetic expression exactly (decimal, not floating point). Supports + - * / % ^ and parentheses, e.g. (19.99 * 3) * 1.2")]
    public string Evaluate([Description("The expression, e.g. 1250 * 0.075 + 12.5")] string expression) =>
        DecimalExpression.Evaluate(expression).ToString("G29", CultureInfo.InvariantCulture);
}
