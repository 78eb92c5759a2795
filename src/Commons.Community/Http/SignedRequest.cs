using Commons.Pools.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Commons.Community.Http;

/// <summary>A request whose signature verified: the signing key and the exact body bytes.</summary>
internal sealed record SignedRequest(string Key, byte[] Body)
{
    /// <summary>Largest body accepted (an artifact is at most 8 KiB).</summary>
    public const int MaxBody = 64 * 1024;

    /// <summary>Reads the body and checks the signature headers; an error result when they do not verify.</summary>
    public static async Task<(SignedRequest? Request, IResult? Error)> ReadAsync(HttpContext context, TimeProvider time)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBody)
        {
            return (null, PoolResults.Error(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBody} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody)
            {
                return (null, PoolResults.Error(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBody} bytes."));
            }
        }

        var body = buffer.ToArray();
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var key = request.Headers[RequestSignature.KeyHeader].ToString();
        var reason = RequestSignature.Verify(key, request.Headers[RequestSignature.TimestampHeader].ToString(),
            request.Headers[RequestSignature.SignatureHeader].ToString(), request.Method, target, body, time.GetUtcNow());
        return reason is null
            ? (new SignedRequest(key, body), null)
            : (null, PoolResults.Error(StatusCodes.Status401Unauthorized, reason));
    }
}
