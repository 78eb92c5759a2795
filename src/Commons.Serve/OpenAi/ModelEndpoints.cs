using System.Text.Json;
using Commons.Inference.Embeddings;
using Commons.Inference.Models;
using Commons.Personal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Serve.OpenAi;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the chat models this server can answer with (the installed ones) and the embedding model.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", (PersonalSilo silo) => Json(w =>
        {
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var id in Ids(silo))
            {
                w.WriteStartObject();
                Model(w, id, silo);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
        app.MapGet("/v1/models/{id}", (string id, PersonalSilo silo) => Ids(silo).Contains(id)
            ? Json(w => Model(w, id, silo))
            : throw new OpenAiException(StatusCodes.Status404NotFound, $"The model `{id}` does not exist.", "model", "model_not_found"));
        return app;
    }

    private static string[] Ids(PersonalSilo silo) => [.. ModelRequests.Names(silo), MiniLmEmbeddingGenerator.ModelId];

    private static void Model(Utf8JsonWriter w, string id, PersonalSilo silo)
    {
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", Created(id, silo));
        w.WriteString("owned_by", "commons");
    }

    // When the file was made (the embedder and a remote model have none here).
    private static long Created(string id, PersonalSilo silo)
    {
        if (silo.Remote is not null || id == MiniLmEmbeddingGenerator.ModelId)
        {
            return 0;
        }

        var path = ModelStore.ForHome(silo.Home).Resolve(id) ?? silo.Model.FilePath;
        return new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds();
    }

    private static IResult Json(Action<Utf8JsonWriter> body) => Results.Bytes(JsonWriting.Object(body), "application/json");
}
