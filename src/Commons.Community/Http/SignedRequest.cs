using System.Globalization;
using Commons.Pools.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Community.Http;

/// <summary>A request whose signature verified: the signing key, the exact body bytes, and the signed timestamp and signature.</summary>
internal sealed record SignedRequest(string Key, byte[] Body, long Timestamp, string Signature)
{
    /// <summary>Largest body accepted (an artifact is at most 8 KiB).</summary>
    public const int MaxBody = 64 * 1024;

    /// <summary>
    /// Reads the body and checks the signature headers; an error result when they do not verify, or when
    /// a member's request was already received (see <see cref="ReplayCache"/>).
    /// </summary>
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
        var timestamp = request.Headers[RequestSignature.TimestampHeader].ToString();
        var signature = request.Headers[RequestSignature.SignatureHeader].ToString();
        var reason = RequestSignature.Verify(key, timestamp, signature, request.Method, target, body, time.GetUtcNow(),
            request.Headers[RequestSignature.NonceHeader].ToString());
        if (reason is not null)
        {
            return (null, PoolResults.Error(StatusCodes.Status401Unauthorized, reason));
        }

        var signed = new SignedRequest(key, body, long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture), signature);
        // Only members' requests take room in the replay cache: anyone else's is refused (or, for a
        // join, idempotent) whatever it is, and a flood of fresh keys must not fill the cache.
        var services = context.RequestServices;
        if (await services.GetRequiredService<MemberCache>().IsMemberAsync(key, context.RequestAborted))
        {
            if (signed.RefuseReplay(context, services.GetRequiredService<ReplayCache>()) is { } replayed)
            {
                return (null, replayed);
            }

            if (services.GetService<MemberRateLimits>()?.Refuse(context, key) is { } tooFast)
            {
                return (null, tooFast);
            }
        }

        return (signed, null);
    }

    /// <summary>
    /// Refuses a request whose signature this silo already acted on inside the replay window (401), or
    /// any request while the replay cache is full (503); null when the request is fresh.
    /// </summary>
    private IResult? RefuseReplay(HttpContext context, ReplayCache replays)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(replays);
        return replays.TryAccept(Key, Timestamp, Signature) switch
        {
            ReplayVerdict.Fresh => null,
            ReplayVerdict.Replayed => PoolResults.Error(StatusCodes.Status401Unauthorized,
                $"This signed request was already received; a request is accepted once (sign each one anew, with a {RequestSignature.NonceHeader} to tell identical ones apart)."),
            _ => Busy(context),
        };
    }

    private static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "10";
        return PoolResults.Error(StatusCodes.Status503ServiceUnavailable,
            "The pool has taken as many signed requests as it can remember for the replay window; try again shortly.");
    }
}
