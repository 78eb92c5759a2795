using Commons.Serve.OpenAi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Serve.Hosting;

/// <summary>Every failure of a request becomes OpenAI's error object with its status; nothing else reaches the client.</summary>
public sealed partial class ServeErrors(RequestDelegate next, ILogger<ServeErrors> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response is { StatusCode: StatusCodes.Status404NotFound, HasStarted: false } && context.GetEndpoint() is null)
            {
                await OpenAiErrors.WriteAsync(context, new OpenAiException(StatusCodes.Status404NotFound, $"There is no {context.Request.Method} {context.Request.Path} here.", code: "unknown_url")).ConfigureAwait(false);
            }
            else if (context.Response is { StatusCode: StatusCodes.Status405MethodNotAllowed, HasStarted: false })
            {
                await OpenAiErrors.WriteAsync(context, new OpenAiException(StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}.")).ConfigureAwait(false);
            }
        }
        catch (OpenAiException ex) when (!context.Response.HasStarted)
        {
            await OpenAiErrors.WriteAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await OpenAiErrors.WriteAsync(context, new OpenAiException(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than this server accepts (Serve:MaxRequestBytes)."
                : "The request is malformed.")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // The detail can quote the person's words: Debug only.
            LogFailed(logger, context.Request.Path, ex.GetType().Name);
            LogFailedDetail(logger, ex);
            await OpenAiErrors.WriteAsync(context, new OpenAiException(StatusCodes.Status500InternalServerError, "The server failed to answer; see its log (commons serve -v).", type: "server_error")).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request to {Path} failed with {ErrorType}.")]
    private static partial void LogFailed(ILogger logger, PathString path, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request failure detail.")]
    private static partial void LogFailedDetail(ILogger logger, Exception exception);
}
