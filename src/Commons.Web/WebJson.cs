using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Commons.Web;

/// <summary>How the page's endpoints write JSON (camelCase, enums as words) and say no (OpenAI's error shape, one sentence).</summary>
internal static class WebJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static IResult Ok(object value) => Results.Json(value, Options);

    public static IResult Error(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", code = (string?)null } }, Options, statusCode: status);
}
