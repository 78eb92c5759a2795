using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Commons.Serve.OpenAi;

/// <summary>Reads a JSON request body; anything but a JSON object is OpenAI's 400, a body over the cap Kestrel's 413.</summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = false };

    public static async Task<T> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            // Parsed first so that valid JSON of another kind (an array, a string) is told apart from text that is not JSON.
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OpenAiException($"The request body must be a JSON object ({{...}}), not {KindOf(document.RootElement.ValueKind)}; see https://platform.openai.com/docs/api-reference.");
            }

            return document.RootElement.Deserialize<T>(Options) ?? throw new OpenAiException("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new OpenAiException(
                $"We could not parse the JSON body of your request ({(ex.Path is { Length: > 1 } path ? "at " + path : "not JSON")}); see https://platform.openai.com/docs/api-reference.", ex);
        }
        catch (BadHttpRequestException ex)
        {
            throw new OpenAiException(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than this server accepts (Serve:MaxRequestBytes)."
                : $"The request is malformed: {ex.Message}");
        }
    }

    private static string KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
