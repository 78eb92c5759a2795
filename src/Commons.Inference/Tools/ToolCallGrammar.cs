using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// The grammar that makes a model write exactly one valid tool call:
/// <c>{"name": "plugin_function", "arguments": {...}}</c> with arguments that fit the tool's schema.
/// </summary>
public static class ToolCallGrammar
{
    /// <summary>
    /// A grammar for a call to one of <paramref name="tools"/> (or only to <paramref name="only"/>),
    /// optionally wrapped in <paramref name="prefix"/> and <paramref name="suffix"/> (such as the
    /// Hermes <c>&lt;tool_call&gt;</c> tags).
    /// </summary>
    public static string Build(IEnumerable<AIFunctionDeclaration> tools, string? only = null, string prefix = "", string suffix = "", int maxStringLength = JsonSchemaGbnf.DefaultMaxStringLength)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var chosen = tools.Where(t => only is null || string.Equals(t.Name, only, StringComparison.Ordinal)).ToList();
        if (chosen.Count == 0)
        {
            throw new ArgumentException(only is null ? "There are no tools to call." : $"There is no tool named {only}.", nameof(only));
        }

        var builder = new JsonSchemaGbnf(maxStringLength);
        var calls = new List<string>();
        foreach (var tool in chosen)
        {
            var arguments = builder.Add(tool.JsonSchema, tool.Name + "-args");
            var name = JsonSchemaGbnf.Literal("\"" + tool.Name + "\"");
            calls.Add($"\"{{\" ws \"\\\"name\\\":\" ws {name} \",\" ws \"\\\"arguments\\\":\" ws {arguments} ws \"}}\"");
        }

        var body = calls.Count == 1 ? calls[0] : "(" + string.Join(" | ", calls.Select(c => "(" + c + ")")) + ")";
        // Around a wrapper tag the model may or may not put a new line.
        var wrapped = (prefix.Length > 0 ? JsonSchemaGbnf.Literal(prefix) + " \"\\n\"? " : "") + body + (suffix.Length > 0 ? " \"\\n\"? " + JsonSchemaGbnf.Literal(suffix) : "");
        return builder.Build(wrapped);
    }
}
