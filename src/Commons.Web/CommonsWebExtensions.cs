using Commons.Tools.Approval;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Web;

/// <summary>Wires the web page of <c>commons serve</c> into its host.</summary>
public static class CommonsWebExtensions
{
    /// <summary>
    /// Maps the page (<c>/</c> and <c>/assets/*</c>) and its JSON endpoints under <c>/api/</c>, which only
    /// translate to the owner's grains and services in <paramref name="personalSilo"/> (default: the host's own
    /// container). The page becomes the agent's tool front end: calls that need a yes wait for it. Every
    /// state-changing request, here and (when the host is a <see cref="IApplicationBuilder"/>) on the host's
    /// other endpoints, is refused when a browser says it comes from another site; on the host's endpoints the
    /// origins the owner allowed in <c>Serve:CorsOrigins</c> are not another site, on the page's never.
    /// </summary>
    public static IEndpointRouteBuilder MapCommonsWeb(this IEndpointRouteBuilder endpoints, IServiceProvider? personalSilo = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = personalSilo ?? endpoints.ServiceProvider;
        var personal = new PersonalServices(services);
        var calls = new PendingToolCalls(TimeProvider.System);
        // For the life of the host: the page is where tool calls are confirmed.
        _ = services.GetRequiredService<ToolInteraction>().Attach(calls, calls);

        if (endpoints is IApplicationBuilder app)
        {
            var trusted = services.GetService<IConfiguration>()?.GetSection("Serve:CorsOrigins").Get<string[]>() ?? [];
            app.Use(async (context, next) =>
            {
                if (!SameOrigin.Allows(context.Request, trusted))
                {
                    await SameOrigin.Refusal().ExecuteAsync(context);
                    return;
                }

                await next(context);
            });
        }

        endpoints.MapGet("/", (HttpContext context) =>
        {
            WebAssets.Harden(context.Response);
            return WebAssets.Serve("index.html");
        });
        endpoints.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            WebAssets.Harden(context.Response);
            return WebAssets.Serve(name);
        });

        var api = endpoints.MapGroup("/api").AddEndpointFilter<SameOriginFilter>();
        ConversationEndpoints.Map(api, personal);
        PlaybookEndpoints.Map(api, personal);
        ShareEndpoints.Map(api, personal);
        PoolEndpoints.Map(api, personal);
        ToolEndpoints.Map(api, calls);
        ModelEndpoints.Map(api, personal);
        return endpoints;
    }
}
