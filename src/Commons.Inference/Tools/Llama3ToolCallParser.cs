using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// Llama 3.1 / 3.2 JSON tool calls: the reply is a JSON object <c>{"name": ..., "parameters": {...}}</c>
/// (or several, separated by <c>;</c> or new lines, or a JSON array), optionally after
/// <c>&lt;|python_tag|&gt;</c>. Also reads the bare-JSON output of a call forced by a grammar.
/// </summary>
public sealed class Llama3ToolCallParser(IEnumerable<AIFunctionDeclaration> tools) : ToolCallParser(tools)
{
    public const string PythonTag = "<|python_tag|>";

    protected internal override IReadOnlyList<string> StartMarkers { get; } = [PythonTag];

    protected internal override bool JsonAtStartIsCall => true;

    protected internal override IEnumerable<FunctionCallContent> ReadBody(string body)
    {
        var text = body.Replace("<|eom_id|>", "", StringComparison.Ordinal).Trim();
        if (text.StartsWith('['))
        {
            if (!TryReadJson(text, out var array, out var error))
            {
                return [error!];
            }

            return array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(ReadCall).ToList() : [ReadCall(array)];
        }

        var calls = new List<FunctionCallContent>();
        foreach (var part in SplitObjects(text))
        {
            calls.Add(TryReadJson(part, out var call, out var error) ? ReadCall(call) : error!);
        }

        return calls.Count > 0 ? calls : [Error(null, "The tool call is empty.")];
    }

    /// <summary>Splits <c>{...}; {...}</c> or one object per line at the top-level braces.</summary>
    private static List<string> SplitObjects(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = -1;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    if (depth++ == 0)
                    {
                        start = i;
                    }

                    break;
                case '}':
                    if (--depth == 0 && start >= 0)
                    {
                        parts.Add(text[start..(i + 1)]);
                        start = -1;
                    }

                    break;
            }
        }

        if (depth != 0 && start >= 0)
        {
            parts.Add(text[start..]);
        }
        else if (parts.Count == 0 && text.Length > 0)
        {
            parts.Add(text);
        }

        return parts;
    }
}
