using System.Net;

namespace Commons.Pools.Client;

/// <summary>A pool answered with an error status; <see cref="Exception.Message"/> is the pool's sentence.</summary>
public sealed class PoolApiException : Exception
{
    public PoolApiException(HttpStatusCode status, string message, string? rejection = null)
        : base(message)
    {
        Status = status;
        Rejection = rejection;
    }

    public PoolApiException()
    {
    }

    public PoolApiException(string message)
        : base(message)
    {
    }

    public PoolApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>The artifact parser's rejection code, for a bad artifact.</summary>
    public string? Rejection { get; }

    /// <summary>
    /// True for answers that will not change on retry: 4xx other than 408 and 429, and other than 401 (a
    /// request the pool took for a replay of one it had half-answered, or a clock out of step, is signed
    /// afresh next time).
    /// </summary>
    public bool IsPermanent => FromPool && (int)Status is >= 400 and < 500
        && Status is not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests and not HttpStatusCode.Unauthorized;

    /// <summary>
    /// Whether the answer came from the pool itself (its error shape); a 4xx from a proxy or a gateway
    /// in front of it is not the pool's verdict, so it is tried again.
    /// </summary>
    public bool FromPool { get; init; } = true;
}
