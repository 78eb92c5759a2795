namespace Commons.Personal.Sharing;

/// <summary>The outbox's memory of one source: what became of it, at what local evidence, under which policy.</summary>
public sealed class ShareSourceRecord
{
    public ShareSourceStatus Status { get; set; }

    /// <summary>Local outcomes (successes + failures) when it was last proposed.</summary>
    public long Evidence { get; set; }

    /// <summary>The policy set's hash when it was last proposed.</summary>
    public string? PolicyHash { get; set; }

    /// <summary>For a refusal: the pipeline stage that refused, and why.</summary>
    public string? Stage { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset At { get; set; }
}
