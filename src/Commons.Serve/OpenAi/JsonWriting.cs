using System.Text.Encodings.Web;
using System.Text.Json;

namespace Commons.Serve.OpenAi;

/// <summary>How the API writes JSON: compact, with quotes and non-ASCII text as they are (the bodies are JSON, never HTML).</summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
