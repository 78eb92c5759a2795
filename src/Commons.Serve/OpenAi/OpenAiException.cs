using Microsoft.AspNetCore.Http;

namespace Commons.Serve.OpenAi;

/// <summary>A request the API refuses, with what goes into OpenAI's error object and its status code.</summary>
public sealed class OpenAiException : Exception
{
    public OpenAiException(int status, string message, string? param = null, string? code = null, string type = InvalidRequest)
        : base(message)
    {
        Status = status;
        Param = param;
        Code = code;
        Type = type;
    }

    public OpenAiException()
        : this(StatusCodes.Status400BadRequest, "The request is not valid.")
    {
    }

    public OpenAiException(string message)
        : this(StatusCodes.Status400BadRequest, message)
    {
    }

    public OpenAiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Type = InvalidRequest;
    }

    public const string InvalidRequest = "invalid_request_error";

    public int Status { get; }

    public string? Param { get; }

    public string? Code { get; }

    public string Type { get; }

    /// <summary>A 400 for one bad parameter.</summary>
    public static OpenAiException BadParameter(string param, string message) => new(StatusCodes.Status400BadRequest, message, param);
}
