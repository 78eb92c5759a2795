using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// Renders a conversation that involves tools as plain messages a chat template can take: the tools
/// advertised in the family's own words, calls written the way the family writes them, and tool
/// results in the role and wrapping the family expects.
/// </summary>
public static class ToolPrompt
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The messages to render, with tools advertised (when <paramref name="tools"/> has any) and tool content turned into text.</summary>
    public static List<ChatMessage> Render(IReadOnlyList<ChatMessage> messages, ToolFormat format, IReadOnlyList<AIFunctionDeclaration> tools, bool forced)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tools);
        var rendered = new List<ChatMessage>(messages.Count + 1);
        foreach (var message in messages)
        {
            rendered.AddRange(RenderMessage(message, format));
        }

        if (tools.Count == 0)
        {
            return rendered;
        }

        if (format == ToolFormat.Mistral)
        {
            // Mistral lists the tools just before the last user message.
            var last = rendered.FindLastIndex(m => m.Role == ChatRole.User);
            var block = "[AVAILABLE_TOOLS]" + JsonSerializer.Serialize(tools.Select(Declaration).ToList(), Compact) + "[/AVAILABLE_TOOLS]";
            if (last >= 0)
            {
                rendered[last] = new ChatMessage(ChatRole.User, block + rendered[last].Text);
            }
            else
            {
                rendered.Add(new ChatMessage(ChatRole.User, block));
            }

            return rendered;
        }

        var advert = Advertise(format, tools, forced);
        var system = rendered.FindIndex(m => m.Role == ChatRole.System);
        if (system >= 0)
        {
            rendered[system] = new ChatMessage(ChatRole.System, rendered[system].Text + "\n\n" + advert);
        }
        else
        {
            rendered.Insert(0, new ChatMessage(ChatRole.System, advert));
        }

        return rendered;
    }

    /// <summary>The system-prompt text that tells the model which tools it has and how to call them.</summary>
    public static string Advertise(ToolFormat format, IReadOnlyList<AIFunctionDeclaration> tools, bool forced)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var text = new StringBuilder();
        if (format == ToolFormat.Llama3)
        {
            text.Append("Environment: ipython\n\n");
            text.Append("You can call functions. To call one, reply with only a JSON object in the format ");
            text.Append("{\"name\": function name, \"parameters\": dictionary of argument name and its value}. Do not use variables.\n");
            text.Append("When you receive a function's result, use it to answer the original question.\n\n");
            foreach (var tool in tools)
            {
                text.Append(JsonSerializer.Serialize(Declaration(tool), Compact)).Append("\n\n");
            }
        }
        else
        {
            // Qwen2.5 / Hermes wording; also the generic advert for models without a tool format.
            text.Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n");
            text.Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
            foreach (var tool in tools)
            {
                text.Append('\n').Append(JsonSerializer.Serialize(Declaration(tool), Compact));
            }

            text.Append("\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n");
            text.Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        }

        if (forced)
        {
            text.Append("\n\nCall a function now.");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>A call as the family writes it.</summary>
    public static string WriteCall(FunctionCallContent call, ToolFormat format)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arguments = call.Arguments ?? new Dictionary<string, object?>();
        return format switch
        {
            ToolFormat.Llama3 => JsonSerializer.Serialize(new Dictionary<string, object?> { ["name"] = call.Name, ["parameters"] = arguments }, Compact),
            ToolFormat.Mistral => MistralToolCallParser.Marker + JsonSerializer.Serialize(
                new[] { new Dictionary<string, object?> { ["name"] = call.Name, ["arguments"] = arguments, ["id"] = call.CallId } }, Compact),
            _ => HermesToolCallParser.Open + "\n" + JsonSerializer.Serialize(new Dictionary<string, object?> { ["name"] = call.Name, ["arguments"] = arguments }, Compact) + "\n" + HermesToolCallParser.Close,
        };
    }

    private static IEnumerable<ChatMessage> RenderMessage(ChatMessage message, ToolFormat format)
    {
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        if (calls.Count == 0 && results.Count == 0)
        {
            yield return message;
            yield break;
        }

        if (calls.Count > 0)
        {
            var text = new StringBuilder(message.Text);
            foreach (var call in calls)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(WriteCall(call, format));
            }

            yield return new ChatMessage(ChatRole.Assistant, text.ToString());
        }

        foreach (var result in results)
        {
            var value = ResultText(result.Result);
            yield return format switch
            {
                ToolFormat.Llama3 => new ChatMessage(new ChatRole("ipython"), value),
                ToolFormat.Mistral => new ChatMessage(ChatRole.User, "[TOOL_RESULTS]" + JsonSerializer.Serialize(
                    new Dictionary<string, object?> { ["content"] = value, ["call_id"] = result.CallId }, Compact) + "[/TOOL_RESULTS]"),
                _ => new ChatMessage(ChatRole.User, "<tool_response>\n" + value + "\n</tool_response>"),
            };
        }
    }

    private static string ResultText(object? result) => result switch
    {
        null => "null",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ => JsonSerializer.Serialize(result, Compact),
    };

    private static Dictionary<string, object?> Declaration(AIFunctionDeclaration tool) => new()
    {
        ["type"] = "function",
        ["function"] = new Dictionary<string, object?>
        {
            ["name"] = tool.Name,
            ["description"] = tool.Description,
            ["parameters"] = tool.JsonSchema,
        },
    };
}
