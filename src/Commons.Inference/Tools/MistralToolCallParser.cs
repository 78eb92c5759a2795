using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// Mistral: <c>[TOOL_CALLS][{"name": ..., "arguments": {...}, "id": ...}, ...]</c> up to the end of the
/// reply; also the newer <c>[TOOL_CALLS]name[ARGS]{...}</c> form.
/// </summary>
public sealed class MistralToolCallParser(IEnumerable<AIFunctionDeclaration> tools) : ToolCallParser(tools)
{
    public const string Marker = "[TOOL_CALLS]";
    private const string ArgsMarker = "[ARGS]";

    protected internal override IReadOnlyList<string> StartMarkers { get; } = [Marker];

    protected internal override IEnumerable<FunctionCallContent> ReadBody(string body)
    {
        var text = body.Replace("</s>", "", StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            return [Error(null, "The tool call is empty.")];
        }

        if (text[0] is not '[' and not '{')
        {
            return ReadNamedForm(text);
        }

        if (!TryReadJson(text, out var calls, out var error))
        {
            return [error!];
        }

        return calls.ValueKind == JsonValueKind.Array ? calls.EnumerateArray().Select(ReadCall).ToList() : [ReadCall(calls)];
    }

    private List<FunctionCallContent> ReadNamedForm(string text)
    {
        var results = new List<FunctionCallContent>();
        foreach (var part in text.Split(Marker, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOf(ArgsMarker, StringComparison.Ordinal);
            if (at < 0)
            {
                results.Add(Error(null, "The tool call is neither a JSON list nor name[ARGS]{...}."));
                continue;
            }

            var name = part[..at].Trim();
            var arguments = part[(at + ArgsMarker.Length)..];
            if (!TryReadJson(arguments, out var parsed, out _))
            {
                results.Add(Error(name, $"The arguments of the call to {name} are not valid JSON."));
                continue;
            }

            var call = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["name"] = name, ["arguments"] = parsed });
            results.Add(ReadCall(call));
        }

        return results;
    }
}
