using System.Text.Encodings.Web;
using System.Text.Json;

namespace Commons.Serve.OpenAi;

/// <summary>How the API writes JSON: compact, with quotes and non-ASCII text as they are (the bodies are JSON, never HTML).</summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object whose members <paramref name="body"/> writes, as UTF-8.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
