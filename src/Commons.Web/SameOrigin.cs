using Microsoft.AspNetCore.Http;

namespace Commons.Web;

/// <summary>
/// The page's defence against cross-site requests: a request that changes something (any method but GET,
/// HEAD and OPTIONS) is refused when the browser says it comes from another site. Browsers send
/// <c>Origin</c> on every such request and <c>Sec-Fetch-Site</c> on all requests; a client that is not a
/// browser (the CLI, an OpenAI library) sends neither and is not a cross-site page.
/// </summary>
public static class SameOrigin
{
    /// <summary>
    /// Whether <paramref name="request"/> may change state: a safe method, no sign that it comes from another
    /// site, or an origin the owner listed in <paramref name="trusted"/>.
    /// </summary>
    public static bool Allows(HttpRequest request, IReadOnlyCollection<string>? trusted = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && trusted?.Contains(origin, StringComparer.OrdinalIgnoreCase) == true)
        {
            return true;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        if (origin.Length == 0)
        {
            return true;
        }

        // "null" (a sandboxed frame, a file: page) is never this page.
        return Uri.TryCreate(origin, UriKind.Absolute, out var from)
            && string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The answer to a refused request: 403 with one sentence, in OpenAI's error shape so every client reads it.</summary>
    public static IResult Refusal() => Results.Json(
        new { error = new { message = "Cross-site requests may not change anything here; use the page served by commons serve.", type = "invalid_request_error", code = "cross_site_request" } },
        statusCode: StatusCodes.Status403Forbidden);
}
