using Microsoft.AspNetCore.Http;

namespace Commons.Web;

/// <summary>Refuses the page's state-changing requests that come from another site (see <see cref="SameOrigin"/>).</summary>
internal sealed class SameOriginFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        SameOrigin.Allows(context.HttpContext.Request) ? next(context) : ValueTask.FromResult<object?>(SameOrigin.Refusal());
}
