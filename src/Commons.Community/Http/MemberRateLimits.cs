using System.Globalization;
using System.Threading.RateLimiting;
using Commons.Community.Hosting;
using Commons.Pools.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Commons.Community.Http;

/// <summary>
/// Per-member publish and read rates: a token bucket per member key (System.Threading.RateLimiting's
/// partitioned limiter, the one ASP.NET Core's rate-limiting middleware runs on). It is applied once
/// the request's signature verified, not in the middleware before it: a limit partitioned by a key
/// nobody has proven to hold would let anyone spend a member's allowance in its name.
/// </summary>
public sealed class MemberRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _publish;
    private readonly PartitionedRateLimiter<string> _read;

    private readonly PoolMetrics? _metrics;

    public MemberRateLimits(IOptions<PoolOptions> options, PoolMetrics? metrics = null)
    {
        _metrics = metrics;
        ArgumentNullException.ThrowIfNull(options);
        var pool = options.Value;
        _publish = Bucket(pool.PublishesPerSecond, pool.PublishBurst);
        _read = Bucket(pool.ReadsPerSecond, pool.ReadBurst);
    }

    /// <summary>
    /// A 429 (with Retry-After) when the member has used its rate for this kind of request (publishing,
    /// or reading through query and digest); null when the request may go on.
    /// </summary>
    public IResult? Refuse(HttpContext context, string member)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        var (limiter, what) = path == PoolWire.Artifacts ? (_publish, "publishes")
            : path == PoolWire.Query || path == PoolWire.Digest ? (_read, "reads")
            : (null, "");
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(member);
        if (lease.IsAcquired)
        {
            return null;
        }

        _metrics?.RateLimited();
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        return PoolResults.Error(StatusCodes.Status429TooManyRequests, $"This member key {what} faster than the pool allows; try again in {retry} s.");
    }

    public void Dispose()
    {
        _publish.Dispose();
        _read.Dispose();
    }

    private static PartitionedRateLimiter<string> Bucket(double perSecond, int burst) =>
        PartitionedRateLimiter.Create<string, string>(member => RateLimitPartition.GetTokenBucketLimiter(member, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, (int)Math.Round(perSecond / 10)) / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
