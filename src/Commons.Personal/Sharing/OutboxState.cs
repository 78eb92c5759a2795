using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;

namespace Commons.Personal.Sharing;

/// <summary>Everything the outbox persists: artifacts on their way out, what became of each source, trial reports, what each pool received.</summary>
public sealed class OutboxState
{
    /// <summary>Artifacts awaiting approval, ready to deliver, or (the most recent few) delivered.</summary>
    public List<ShareItem> Items { get; set; } = [];

    /// <summary>By source (<c>entry:e12</c>, <c>outcome:ARTIFACT</c>).</summary>
    public Dictionary<string, ShareSourceRecord> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Outcome reports taken from the playbook that have not become an artifact yet.</summary>
    public List<PendingOutcomeReport> PendingOutcomes { get; set; } = [];

    /// <summary>Trial reports (randomised-response bits) waiting to go to the pools the insights came from.</summary>
    public List<QueuedReport> Reports { get; set; } = [];

    /// <summary>The last report number handed out (report ids are r1, r2, ...).</summary>
    public long ReportNumber { get; set; }

    /// <summary>By pool URL: what it acknowledged or refused.</summary>
    public Dictionary<string, PoolCountRecord> PoolCounts { get; set; } = new(StringComparer.Ordinal);

    public int DeliveredCount { get; set; }

    public int DeniedCount { get; set; }
}
