using Commons.Pools.Client;
using Microsoft.AspNetCore.Http;

namespace Commons.Community.Http;

/// <summary>Answers in the API's JSON shape.</summary>
internal static class PoolResults
{
    public static IResult Ok<T>(T value) => Results.Json(value, PoolClient.Json);

    /// <summary>A refusal; a 503 (the pool cannot take or answer it yet) says when to try again.</summary>
    public static IResult Error(int status, string error, string? rejection = null)
    {
        var json = Results.Json(new PoolError(error, rejection), PoolClient.Json, statusCode: status);
        return status == StatusCodes.Status503ServiceUnavailable ? new RetryLater(json) : json;
    }

    private sealed class RetryLater(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (!httpContext.Response.Headers.ContainsKey("Retry-After"))
            {
                httpContext.Response.Headers.RetryAfter = "2";
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}
