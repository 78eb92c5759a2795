namespace Commons.Eval;

/// <summary>
/// What a community arm's agents sent through their privacy pipeline besides insights: trial reports (one
/// randomised-response bit each) and the epsilon per person per simulated day (a round); and how the
/// poisoners' insights fared: published, staged by an honest agent, and withdrawn before any honest agent tried them.
/// </summary>
public sealed record SyncFigures(int ReportsSent, double EpsilonPerPersonDay, int Poisoned, int PoisonedReached, int PoisonedWithdrawnUntried);
