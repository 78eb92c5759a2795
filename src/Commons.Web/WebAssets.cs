using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Commons.Web;

/// <summary>The page's files (HTML, CSS, JavaScript), embedded in this assembly and served as they are.</summary>
internal static class WebAssets
{
    private static readonly Assembly Assembly = typeof(WebAssets).Assembly;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Writes the file <paramref name="name"/>, or 404 when the page has no such file.</summary>
    public static IResult Serve(string name)
    {
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name));
        var stream = type is null || name.Contains('/', StringComparison.Ordinal) ? null : Assembly.GetManifestResourceStream("Commons.Web.wwwroot." + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        return Results.Stream(stream, type);
    }

    /// <summary>Adds the headers that keep the page to itself: no framing by other sites, no scripts or styles from elsewhere.</summary>
    public static void Harden(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }
}
