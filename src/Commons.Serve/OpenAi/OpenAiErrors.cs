using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Commons.Serve.OpenAi;

/// <summary>Writes OpenAI's error object: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAiErrors
{
    /// <summary>Writes <paramref name="error"/> as the response, with its status code.</summary>
    public static Task WriteAsync(HttpContext context, OpenAiException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Serialize(error)).AsTask();
    }

    /// <summary>The error object as UTF-8 JSON (also what a stream sends when it fails midway).</summary>
    public static byte[] Serialize(OpenAiException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return JsonWriting.Object(json =>
        {
            json.WriteStartObject("error");
            json.WriteString("message", error.Message);
            json.WriteString("type", error.Type);
            WriteNullable(json, "param", error.Param);
            WriteNullable(json, "code", error.Code);
            json.WriteEndObject();
        });
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
