using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Commons.Inference.Embeddings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;

namespace Commons.Serve.OpenAi;

/// <summary><c>POST /v1/embeddings</c>: the product's own embedder (all-MiniLM-L6-v2, 384 dimensions), as float arrays or base64.</summary>
public static class EmbeddingEndpoints
{
    private const int MaxInputs = 2048;

    public static IEndpointRouteBuilder MapEmbeddings(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/embeddings", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        var body = await JsonBody.ReadAsync<EmbeddingRequest>(context).ConfigureAwait(false);
        ChatRequestReader.CheckModel(body.Model, MiniLmEmbeddingGenerator.ModelId);
        var inputs = Inputs(body.Input);
        var base64 = body.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw OpenAiException.BadParameter("encoding_format", "'encoding_format' must be 'float' or 'base64'."),
        };
        var vectors = await embedder.GenerateAsync(inputs, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        // The embedder's tokenizer is not exposed; words are a close, honest stand-in for its token count.
        var tokens = inputs.Sum(i => i.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        var answer = JsonWriting.Object(json =>
        {
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            for (var i = 0; i < vectors.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                var vector = vectors[i].Vector.Span;
                if (base64)
                {
                    json.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector));
                }
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (var value in vector)
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model", MiniLmEmbeddingGenerator.ModelId);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", tokens);
            json.WriteNumber("total_tokens", tokens);
            json.WriteEndObject();
        });

        return Results.Bytes(answer, "application/json");
    }

    private static List<string> Inputs(JsonElement? input)
    {
        switch (input?.ValueKind)
        {
            case JsonValueKind.String when input.Value.GetString()!.Length > 0:
                return [input.Value.GetString()!];
            case JsonValueKind.Array when input.Value.GetArrayLength() is > 0 and <= MaxInputs
                && input.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0):
                return input.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
            default:
                throw OpenAiException.BadParameter("input", $"'input' must be a non-empty string or an array of 1 to {MaxInputs} non-empty strings.");
        }
    }

    /// <summary>The body of <c>POST /v1/embeddings</c>.</summary>
    public sealed class EmbeddingRequest
    {
        [JsonPropertyName("model")]
        public string? Model { get; set; }

        [JsonPropertyName("input")]
        public JsonElement? Input { get; set; }

        [JsonPropertyName("encoding_format")]
        public string? EncodingFormat { get; set; }
    }
}
