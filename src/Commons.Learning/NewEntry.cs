using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>An entry to add (or to merge into a near-duplicate).</summary>
public sealed record NewEntry(
    string Situation,
    string Advice,
    string? Action,
    double Successes,
    double Failures,
    EntryOrigin Origin,
    EntryStatus Status = EntryStatus.Active,
    double PriorSuccesses = 0,
    double PriorFailures = 0,
    string? Source = null,
    string? Note = null);
