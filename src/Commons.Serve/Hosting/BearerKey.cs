using System.Security.Cryptography;
using System.Text;
using Commons.Serve.OpenAi;
using Microsoft.AspNetCore.Http;

namespace Commons.Serve.Hosting;

/// <summary>
/// When an API key is set, every request must carry <c>Authorization: Bearer KEY</c> (the key, or this run's
/// token from the data folder); without one the server is on loopback and open to this machine, as Ollama is.
/// The page's own files (<c>GET /</c>, <c>/assets/*</c>) hold no data and are open, so that the page can load
/// and ask for the key.
/// </summary>
public sealed class BearerKey(RequestDelegate next, string? apiKey, string runToken)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(apiKey) || IsPageFile(context.Request))
        {
            return next(context);
        }

        var header = context.Request.Headers.Authorization.FirstOrDefault() ?? "";
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (Same(given, apiKey) || Same(given, runToken))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return OpenAiErrors.WriteAsync(context, new OpenAiException(StatusCodes.Status401Unauthorized,
            given.Length == 0 ? "You didn't provide an API key: send it as 'Authorization: Bearer KEY'." : "Incorrect API key provided.",
            code: "invalid_api_key"));
    }

    private static bool IsPageFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path == "/" || request.Path.StartsWithSegments("/assets", StringComparison.Ordinal));

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
