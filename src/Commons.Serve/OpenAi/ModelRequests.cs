using Commons.Inference.Llama;
using Commons.Inference.Models;
using Commons.Personal.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Serve.OpenAi;

/// <summary>The <c>model</c> of a request: any installed model, loaded in place of the one in use when it differs (as Ollama does).</summary>
internal static class ModelRequests
{
    /// <summary>The models this server can answer with (the installed ones and the one in use; with a remote model, that one).</summary>
    public static IReadOnlyList<string> Names(PersonalSilo silo) =>
        silo.Services.GetService<ModelChoice>()?.Names() ?? [silo.ModelName];

    /// <summary>
    /// A lease on the requested model, put in use first (null with a remote model): the reply is written with it and
    /// named after it, whatever another request switches to meanwhile. An unknown name is OpenAI's 404.
    /// </summary>
    public static async Task<ModelLease?> RentAsync(PersonalSilo silo, string? requested, CancellationToken cancellationToken)
    {
        if (silo.Services.GetService<ModelChoice>() is not { } choice)
        {
            return null;
        }

        try
        {
            return await choice.RentAsync(requested, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelNotInstalledException ex)
        {
            throw new OpenAiException(StatusCodes.Status404NotFound, ex.Message, "model", "model_not_found");
        }
    }
}
