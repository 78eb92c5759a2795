using System.Diagnostics.Metrics;

namespace Commons.Community.Hosting;

/// <summary>
/// The pool's own metrics (meter <c>Commons.Pool</c>), exported on the admin address's Prometheus
/// endpoint. Counts only: no key, topic or text is ever a tag. Names for Prometheus:
/// <c>commons_pool_artifacts_published_total</c> (tag <c>outcome</c>: accepted, duplicate, refused),
/// <c>commons_pool_receipt_duration_milliseconds</c>, <c>commons_pool_groups_served_total</c>,
/// <c>commons_pool_reads_total</c> (tag <c>tier</c>: free, credit, refused),
/// <c>commons_pool_quarantined_total</c>, <c>commons_pool_withdrawn_total</c> (tag <c>kind</c>: removal, erasure),
/// <c>commons_pool_members_suspended_total</c>, <c>commons_pool_rate_limited_total</c>.
/// </summary>
public sealed class PoolMetrics
{
    public const string MeterName = "Commons.Pool";

    private readonly Counter<long> _published;
    private readonly Histogram<double> _receipt;
    private readonly Counter<long> _served;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _withdrawn;
    private readonly Counter<long> _suspended;
    private readonly Counter<long> _rateLimited;

    public PoolMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>("commons.pool.artifacts.published", description: "Artifacts members published, by outcome.");
        _receipt = meter.CreateHistogram<double>("commons.pool.receipt.duration", "ms", "Time from a publish request's arrival to its durable receipt.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });
        _served = meter.CreateCounter<long>("commons.pool.groups.served", description: "Groups (or wordings of groups) served to members by query and digest.");
        _reads = meter.CreateCounter<long>("commons.pool.reads", description: "Member reads (query, digest), by tier: free allowance, credit, or refused; a read given back because the pool could not answer it is counted again as refunded.");
        _quarantined = meter.CreateCounter<long>("commons.pool.quarantined", description: "Contributions set aside as outliers or by moderation.");
        _withdrawn = meter.CreateCounter<long>("commons.pool.withdrawn", description: "Artifacts withdrawn (an admin's removal, a member's erasure, or either relayed by a peer), each once, by kind.");
        _suspended = meter.CreateCounter<long>("commons.pool.members.suspended", description: "Member keys suspended.");
        _rateLimited = meter.CreateCounter<long>("commons.pool.rate_limited", description: "Requests refused with 429 by a member's rate limit.");
    }

    public void Published(string outcome, TimeSpan elapsed)
    {
        _published.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        // A receipt's latency is a receipt's: refusals (and "try again") have none.
        if (outcome is not ("refused" or "busy"))
        {
            _receipt.Record(elapsed.TotalMilliseconds);
        }
    }

    public void Read(string tier) => _reads.Add(1, new KeyValuePair<string, object?>("tier", tier));

    public void Served(int groups) => _served.Add(groups);

    public void Quarantined(int contributions) => _quarantined.Add(contributions);

    public void Withdrawn(string kind, int artifacts)
    {
        if (artifacts > 0)
        {
            _withdrawn.Add(artifacts, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public void Suspended() => _suspended.Add(1);

    public void RateLimited() => _rateLimited.Add(1);
}
