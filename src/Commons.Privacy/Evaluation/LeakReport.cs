namespace Commons.Privacy.Evaluation;

/// <summary>The leak measurement: per entity type, and the share of ordinary words lost (over-redaction).</summary>
public sealed record LeakReport(
    IReadOnlyList<LeakRow> Rows,
    int Requests,
    int People,
    int OrdinaryWords,
    double OverRedactionDetectorsOnly,
    double OverRedactionWithKnown,
    int LeakCheckRefusalsDetectorsOnly,
    int LeakCheckRefusalsWithKnown);
