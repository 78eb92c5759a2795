using Commons.Abstractions.Learning;
using Commons.Abstractions.Sharing;

namespace Commons.Personal.Sharing;

/// <summary>Everything the outbox persists: artifacts on their way out, what became of each source, outcome reports not yet prepared.</summary>
public sealed class OutboxState
{
    /// <summary>Artifacts awaiting approval, ready to deliver, or (the most recent few) delivered.</summary>
    public List<ShareItem> Items { get; set; } = [];

    /// <summary>By source (<c>entry:e12</c>, <c>outcome:ARTIFACT</c>).</summary>
    public Dictionary<string, ShareSourceRecord> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Outcome reports taken from the playbook that have not become an artifact yet.</summary>
    public List<PendingOutcomeReport> PendingOutcomes { get; set; } = [];

    public int DeliveredCount { get; set; }

    public int DeniedCount { get; set; }
}
