using Commons.Abstractions.Hosting;
using Commons.Inference.Embeddings;
using Commons.Inference.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Commons.Web;

/// <summary>
/// The model choice: the installed models (<c>commons model list</c>), the one in use, and a switch to another,
/// through the same <see cref="ModelChoice"/> the API's <c>model</c> field goes through. With a remote model
/// (<c>Model:Endpoint</c>) there is nothing to switch here.
/// </summary>
internal static class ModelEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/models", () =>
        {
            if (personal.Services.GetService<ModelChoice>() is { } choice)
            {
                return WebJson.Ok(new { embedder = MiniLmEmbeddingGenerator.ModelId, installed = choice.Names(), current = choice.Current, switchable = true });
            }

            var home = new CommonsHome(personal.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
            var installed = ModelStore.ForHome(home).List().Select(m => m.Name).Order(StringComparer.Ordinal);
            return WebJson.Ok(new { embedder = MiniLmEmbeddingGenerator.ModelId, installed, current = (string?)null, switchable = false });
        });

        api.MapPost("/models/current", async (ModelRequest request, CancellationToken cancellationToken) =>
        {
            if (personal.Services.GetService<ModelChoice>() is not { } choice)
            {
                return WebJson.Error("This serve uses a remote model (Model:Endpoint); restart it without one to use the installed models.", StatusCodes.Status409Conflict);
            }

            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return WebJson.Error("Name the model to use as {\"name\": \"...\"}.");
            }

            try
            {
                return WebJson.Ok(new { current = await choice.UseAsync(request.Name.Trim(), cancellationToken) });
            }
            catch (ModelNotInstalledException ex)
            {
                return WebJson.Error(ex.Message, StatusCodes.Status404NotFound);
            }
        });
    }

    internal sealed record ModelRequest(string? Name);
}
