using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// Reads tool calls out of generated text in one model family's format. Whatever the model wrote,
/// reading never throws: a call that cannot be run becomes a <see cref="FunctionCallContent"/>
/// whose <see cref="FunctionCallContent.Exception"/> says why, so the model gets a tool error back.
/// </summary>
public abstract partial class ToolCallParser
{
    private readonly Dictionary<string, AIFunctionDeclaration> _tools;
    private int _callNumber;

    protected ToolCallParser(IEnumerable<AIFunctionDeclaration> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The markers that open a tool call in this format (the first one found wins).</summary>
    protected internal abstract IReadOnlyList<string> StartMarkers { get; }

    /// <summary>The marker that closes one call, or null when a call runs to the end of the reply.</summary>
    protected internal virtual string? EndMarker => null;

    /// <summary>True when a reply that opens with a bare JSON object or array is a tool call.</summary>
    protected internal virtual bool JsonAtStartIsCall => false;

    /// <summary>The parser for a family's format.</summary>
    public static ToolCallParser For(ToolFormat format, IEnumerable<AIFunctionDeclaration> tools) => format switch
    {
        ToolFormat.Hermes or ToolFormat.None => new HermesToolCallParser(tools),
        ToolFormat.Llama3 => new Llama3ToolCallParser(tools),
        ToolFormat.Mistral => new MistralToolCallParser(tools),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown tool format."),
    };

    /// <summary>Starts reading one streamed reply.</summary>
    public ToolCallStream Begin() => new(this);

    /// <summary>Reads a whole reply at once: the text meant for the person and the calls.</summary>
    public ToolCallChunk Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var stream = Begin();
        var first = stream.Push(reply);
        var last = stream.Complete();
        return new ToolCallChunk(first.Text + last.Text, [.. first.Calls, .. last.Calls]);
    }

    /// <summary>Turns the text between the markers (or after the start marker) into calls.</summary>
    protected internal abstract IEnumerable<FunctionCallContent> ReadBody(string body);

    /// <summary>
    /// Reads one call object: <c>{"name": ..., "arguments"|"parameters": {...}}</c>; checks the tool
    /// exists and the arguments fit its schema.
    /// </summary>
    protected FunctionCallContent ReadCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            return Error(null, "The tool call must be a JSON object with \"name\" and \"arguments\".");
        }

        // Some templates wrap the call: {"type": "function", "function": {...}}.
        if (call.TryGetProperty("function", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            call = inner;
        }

        if (!call.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameElement.GetString()))
        {
            return Error(null, "The tool call has no \"name\".");
        }

        var name = nameElement.GetString()!;
        var id = call.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        JsonElement arguments = default;
        var hasArguments = call.TryGetProperty("arguments", out arguments) || call.TryGetProperty("parameters", out arguments);
        if (hasArguments && arguments.ValueKind == JsonValueKind.String)
        {
            // OpenAI-style writers put the arguments object in a string.
            if (!TryParse(arguments.GetString()!, out var parsed))
            {
                return Error(name, $"The arguments of the call to {name} are not valid JSON.", id);
            }

            arguments = parsed;
        }

        if (!hasArguments || arguments.ValueKind == JsonValueKind.Null)
        {
            arguments = JsonDocument.Parse("{}").RootElement;
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return Error(name, $"The arguments of the call to {name} must be a JSON object.", id);
        }

        if (!_tools.TryGetValue(name, out var tool))
        {
            return Error(name, $"There is no tool named {name}; the tools are {string.Join(", ", _tools.Keys)}.", id);
        }

        var values = arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        var problems = JsonSchemaValidator.Validate(arguments, tool.JsonSchema);
        var content = new FunctionCallContent(id ?? NextId(), name, values);
        if (problems.Count > 0)
        {
            content.Exception = new ToolCallException($"The call to {name} has invalid arguments: {string.Join("; ", problems)}.");
        }

        return content;
    }

    /// <summary>A call that cannot be run; <paramref name="name"/> is what could be read of the tool's name.</summary>
    protected FunctionCallContent Error(string? name, string message, string? id = null) =>
        new(id ?? NextId(), name ?? "unreadable_tool_call", null) { Exception = new ToolCallException(message) };

    /// <summary>Reads the body as JSON; on failure, a tool error naming the tool when its name can still be seen.</summary>
    protected bool TryReadJson(string body, out JsonElement element, out FunctionCallContent? error)
    {
        if (TryParse(body, out element))
        {
            error = null;
            return true;
        }

        var name = NamePattern().Match(body) is { Success: true } match ? match.Groups[1].Value : null;
        error = Error(name, name is null
            ? "The tool call is not valid JSON."
            : $"The call to {name} is not valid JSON.");
        return false;
    }

    private static bool TryParse(string text, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(text.Trim(), new JsonDocumentOptions { AllowTrailingCommas = true });
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private string NextId() => "call_" + (++_callNumber).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];

    [GeneratedRegex("\"name\"\\s*:\\s*\"([^\"]{1,128})\"")]
    private static partial Regex NamePattern();
}
