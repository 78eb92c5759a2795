using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>Everything a playbook persists: its entries, its episode log and its counters.</summary>
public sealed class PlaybookState
{
    public List<PlaybookEntry> Entries { get; set; } = [];

    public List<Episode> Episodes { get; set; } = [];

    /// <summary>Episodes with feedback since the last reflection.</summary>
    public int FeedbackSinceReflection { get; set; }

    public long NextEntryNumber { get; set; } = 1;

    public long NextEpisodeNumber { get; set; } = 1;

    /// <summary>Verification records of imported insights.</summary>
    public List<ImportReview> ImportReviews { get; set; } = [];

    /// <summary>Outcome reports on imported insights, waiting for the export pipeline.</summary>
    public List<OutcomeReport> PendingOutcomeReports { get; set; } = [];
}
