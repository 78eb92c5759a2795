using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Abstractions.Agents;
using Microsoft.AspNetCore.Http;

namespace Commons.Serve.OpenAi;

/// <summary>
/// Checks a chat completion request against OpenAI's rules and turns it into the agent's
/// <see cref="TurnRequest"/>; anything it cannot honour is an <see cref="OpenAiException"/> naming the parameter.
/// </summary>
public static partial class ChatRequestReader
{
    /// <summary>The header that names the conversation (else the <c>user</c> field does).</summary>
    public const string ConversationHeader = "X-Commons-Conversation";

    private const int MaxStops = 4;

    public static TurnRequest Read(ChatCompletionRequest request, string modelName, string? conversationHeader)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckModel(request.Model, modelName);
        if (request.Messages is not { Count: > 0 } messages)
        {
            throw OpenAiException.BadParameter("messages", "'messages' must hold at least one message.");
        }

        if (request.N is { } n && n != 1)
        {
            throw OpenAiException.BadParameter("n", "Only n = 1 is supported.");
        }

        var key = string.IsNullOrWhiteSpace(conversationHeader) ? request.User : conversationHeader;
        if (key is not null && !ConversationKeys.IsValid(key))
        {
            throw OpenAiException.BadParameter(conversationHeader is null ? "user" : ConversationHeader,
                "A conversation is named by 1 to 100 letters, digits or . _ : - (the X-Commons-Conversation header or the 'user' field).");
        }

        var instructions = new StringBuilder();
        var said = new List<TurnMessage>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw OpenAiException.BadParameter($"messages[{i}]", $"messages[{i}] is null.");
            var text = Text(message, i);
            switch (message.Role)
            {
                case "system" or "developer":
                    instructions.Append(instructions.Length > 0 ? "\n" : "").Append(text);
                    break;
                case "user":
                    said.Add(new TurnMessage("user", text));
                    break;
                case "assistant":
                    // A call the client's tool answered is kept as text: the agent keeps its history as text.
                    var calls = string.Join("; ", (message.ToolCalls ?? []).Select(c => $"called {c.Function?.Name} with {c.Function?.Arguments}"));
                    said.Add(new TurnMessage("assistant", calls.Length == 0 ? text : (text + " (" + calls + ")").Trim()));
                    break;
                case "tool":
                    said.Add(new TurnMessage("user", $"The result of tool call {message.ToolCallId}: {text}"));
                    break;
                default:
                    throw OpenAiException.BadParameter($"messages[{i}].role", $"'{message.Role}' is not a role; use system, developer, user, assistant or tool.");
            }
        }

        if (said.Count == 0 || said[^1].Role != "user")
        {
            throw OpenAiException.BadParameter("messages", "The last message must be from the user (or a tool's result).");
        }

        var tools = Tools(request.Tools);
        return new TurnRequest(
            said[^1].Text,
            key,
            said.Take(said.Count - 1).ToList(),
            instructions.Length > 0 ? instructions.ToString() : null,
            Sampling(request),
            tools,
            ToolChoice(request.ToolChoice, tools),
            Schema(request.ResponseFormat, out var name),
            name);
    }

    /// <summary>A request for a model this server does not serve is a 404, as OpenAI answers it.</summary>
    public static void CheckModel(string? requested, string served)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            throw OpenAiException.BadParameter("model", "You must provide a model parameter.");
        }

        if (!string.Equals(requested, served, StringComparison.Ordinal))
        {
            throw new OpenAiException(StatusCodes.Status404NotFound, $"The model `{requested}` does not exist; this server serves `{served}` (see GET /v1/models).", "model", "model_not_found");
        }
    }

    private static string Text(WireMessage message, int index)
    {
        if (message.Content is not { } content || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? "";
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw OpenAiException.BadParameter($"messages[{index}].content", "'content' must be a string or an array of content parts.");
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text"
                || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw OpenAiException.BadParameter($"messages[{index}].content", "Only text content parts ({\"type\":\"text\",\"text\":...}) are supported.");
            }

            text.Append(value.GetString());
        }

        return text.ToString();
    }

    private static TurnSampling? Sampling(ChatCompletionRequest request)
    {
        if (request.Temperature is < 0 or > 2)
        {
            throw OpenAiException.BadParameter("temperature", "'temperature' must be between 0 and 2.");
        }

        if (request.TopP is <= 0 or > 1)
        {
            throw OpenAiException.BadParameter("top_p", "'top_p' must be greater than 0 and at most 1.");
        }

        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        if (maxTokens is < 1)
        {
            throw OpenAiException.BadParameter(request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", "The largest number of tokens must be at least 1.");
        }

        var stop = Stops(request.Stop);
        return request.Temperature is null && request.TopP is null && maxTokens is null && stop is null && request.Seed is null
            ? null
            : new TurnSampling(request.Temperature, maxTokens, stop, request.Seed, request.TopP);
    }

    private static List<string>? Stops(JsonElement? stop)
    {
        switch (stop?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return [stop.Value.GetString()!];
            case JsonValueKind.Array when stop.Value.GetArrayLength() <= MaxStops
                && stop.Value.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0):
                return stop.Value.EnumerateArray().Select(s => s.GetString()!).ToList();
            default:
                throw OpenAiException.BadParameter("stop", $"'stop' must be a string or an array of up to {MaxStops} non-empty strings.");
        }
    }

    private static List<ClientTool>? Tools(IList<WireTool>? tools)
    {
        if (tools is null || tools.Count == 0)
        {
            return null;
        }

        var result = new List<ClientTool>();
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            if (tool?.Type != "function" || tool.Function?.Name is not { } name)
            {
                throw OpenAiException.BadParameter($"tools[{i}]", "Each tool must be {\"type\":\"function\",\"function\":{\"name\":...}}.");
            }

            if (!ToolName().IsMatch(name))
            {
                throw OpenAiException.BadParameter($"tools[{i}].function.name", "A function name is 1 to 64 letters, digits, underscores or dashes.");
            }

            var parameters = tool.Function.Parameters is { ValueKind: JsonValueKind.Object } schema
                ? schema.GetRawText()
                : "{\"type\":\"object\",\"properties\":{}}";
            result.Add(new ClientTool(name, tool.Function.Description, parameters));
        }

        return result;
    }

    private static string? ToolChoice(JsonElement? choice, List<ClientTool>? tools)
    {
        switch (choice?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return null;
            case JsonValueKind.String when choice.Value.GetString() is TurnRequest.ToolChoiceAuto or TurnRequest.ToolChoiceNone:
                return choice.Value.GetString();
            case JsonValueKind.String when choice.Value.GetString() == TurnRequest.ToolChoiceRequired:
                return tools is null
                    ? throw OpenAiException.BadParameter("tool_choice", "'tool_choice' is 'required' but no tools were given.")
                    : TurnRequest.ToolChoiceRequired;
            case JsonValueKind.Object when choice.Value.TryGetProperty("function", out var function)
                && function.ValueKind == JsonValueKind.Object
                && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                var named = name.GetString()!;
                return tools?.Any(t => t.Name == named) == true
                    ? named
                    : throw OpenAiException.BadParameter("tool_choice", $"'tool_choice' names the function '{named}', which is not among 'tools'.");
            default:
                throw OpenAiException.BadParameter("tool_choice", "'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}.");
        }
    }

    private static string? Schema(WireResponseFormat? format, out string? name)
    {
        name = null;
        switch (format?.Type)
        {
            case null or "text":
                return null;
            case "json_object":
                return "{\"type\":\"object\"}";
            case "json_schema" when format.JsonSchema?.Schema is { ValueKind: JsonValueKind.Object } schema:
                name = format.JsonSchema.Name;
                return schema.GetRawText();
            case "json_schema":
                throw OpenAiException.BadParameter("response_format.json_schema.schema", "A json_schema response format needs its 'schema' object.");
            default:
                throw OpenAiException.BadParameter("response_format.type", "'response_format.type' must be 'text', 'json_object' or 'json_schema'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
