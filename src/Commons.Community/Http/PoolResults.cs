using Commons.Pools.Client;
using Microsoft.AspNetCore.Http;

namespace Commons.Community.Http;

/// <summary>Answers in the API's JSON shape.</summary>
internal static class PoolResults
{
    public static IResult Ok<T>(T value) => Results.Json(value, PoolClient.Json);

    public static IResult Error(int status, string error, string? rejection = null) =>
        Results.Json(new PoolError(error, rejection), PoolClient.Json, statusCode: status);
}
