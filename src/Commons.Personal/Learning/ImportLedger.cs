using Commons.Abstractions.Learning;

namespace Commons.Personal.Learning;

/// <summary>
/// What the playbook grain keeps about imports beside the playbook itself: each imported artifact's
/// topic (for guard-rails and outcome reports), and the insights refused at the door because their
/// topic is one the owner's guard-rails never act on (they never enter the playbook).
/// </summary>
public sealed class ImportLedger
{
    /// <summary>Topic of each imported artifact, by artifact id.</summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rejections of insights whose topic a guard-rail blocks; their ids are b1, b2, ...</summary>
    public List<ImportReview> Blocked { get; set; } = [];

    public long NextBlockedNumber { get; set; } = 1;
}
