using Commons.Serve.Api;
using Commons.Serve.OpenAi;
using Microsoft.AspNetCore.Routing;

namespace Commons.Serve.Hosting;

/// <summary>Everything <c>commons serve</c> answers; a new page or API maps itself here.</summary>
public static class ServeEndpoints
{
    public static IEndpointRouteBuilder MapCommonsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapModels().MapChatCompletions().MapEmbeddings().MapFeedback();
    }
}
