using Commons.Abstractions.Hosting;
using Commons.Inference.Embeddings;
using Commons.Inference.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Commons.Web;

/// <summary>
/// What the model choice offers beside <c>/v1/models</c> (the model this server answers with): the embedding
/// model, which never writes replies, and the models installed in the data folder (<c>commons model pull</c>),
/// which a restart with <c>--model NAME</c> puts to use.
/// </summary>
internal static class ModelEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/models", () =>
        {
            var home = new CommonsHome(personal.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
            var installed = ModelStore.ForHome(home).List().Select(m => m.Name).Order(StringComparer.Ordinal);
            return WebJson.Ok(new { embedder = MiniLmEmbeddingGenerator.ModelId, installed });
        });
    }
}
