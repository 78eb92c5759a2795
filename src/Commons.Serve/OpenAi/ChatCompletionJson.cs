using System.Text.Json;
using Commons.Abstractions.Agents;

namespace Commons.Serve.OpenAi;

/// <summary>OpenAI's chat completion objects, written field for field: <c>chat.completion</c> and <c>chat.completion.chunk</c>.</summary>
public sealed class ChatCompletionJson(string id, string model, long created)
{
    /// <summary>A whole (non-streamed) completion.</summary>
    public byte[] Completion(string text, IReadOnlyList<ClientToolCall> calls, TurnFinish finish)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(finish);
        return Write(json =>
        {
            Head(json, "chat.completion");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            if (calls.Count > 0 && text.Length == 0)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", text);
            }

            json.WriteNull("refusal");
            if (calls.Count > 0)
            {
                ToolCalls(json, calls, 0, withIndex: false);
            }

            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", finish.Reason);
            json.WriteEndObject();
            json.WriteEndArray();
            Usage(json, finish);
        });
    }

    /// <summary>A chunk with a delta: the role opens the stream, then content or tool calls.</summary>
    public byte[] Chunk(string? content, IReadOnlyList<ClientToolCall>? calls = null, int firstCallIndex = 0, bool role = false, bool includeUsage = false) =>
        Write(json =>
        {
            Head(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            if (role)
            {
                json.WriteString("role", "assistant");
            }

            if (content is not null)
            {
                json.WriteString("content", content);
            }

            if (calls is { Count: > 0 })
            {
                ToolCalls(json, calls, firstCallIndex, withIndex: true);
            }

            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteNull("finish_reason");
            json.WriteEndObject();
            json.WriteEndArray();
            if (includeUsage)
            {
                json.WriteNull("usage");
            }
        });

    /// <summary>The chunk that says how the completion finished (an empty delta).</summary>
    public byte[] FinishChunk(TurnFinish finish, bool includeUsage) =>
        Write(json =>
        {
            ArgumentNullException.ThrowIfNull(finish);
            Head(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", finish.Reason);
            json.WriteEndObject();
            json.WriteEndArray();
            if (includeUsage)
            {
                json.WriteNull("usage");
            }
        });

    /// <summary>The last chunk when <c>stream_options.include_usage</c>: no choices, the usage.</summary>
    public byte[] UsageChunk(TurnFinish finish) =>
        Write(json =>
        {
            Head(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            Usage(json, finish);
        });

    private void Head(Utf8JsonWriter json, string kind)
    {
        json.WriteString("id", id);
        json.WriteString("object", kind);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
        json.WriteNull("system_fingerprint");
    }

    private static void ToolCalls(Utf8JsonWriter json, IReadOnlyList<ClientToolCall> calls, int firstIndex, bool withIndex)
    {
        json.WriteStartArray("tool_calls");
        for (var i = 0; i < calls.Count; i++)
        {
            json.WriteStartObject();
            if (withIndex)
            {
                json.WriteNumber("index", firstIndex + i);
            }

            json.WriteString("id", calls[i].Id);
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", calls[i].Name);
            json.WriteString("arguments", calls[i].ArgumentsJson);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Usage(Utf8JsonWriter json, TurnFinish finish)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", finish.PromptTokens);
        json.WriteNumber("completion_tokens", finish.CompletionTokens);
        json.WriteNumber("total_tokens", finish.PromptTokens + finish.CompletionTokens);
        json.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body) => JsonWriting.Object(body);
}
