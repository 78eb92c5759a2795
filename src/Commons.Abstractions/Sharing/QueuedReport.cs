namespace Commons.Abstractions.Sharing;

/// <summary>
/// One trial of an imported insight, reported to the pool it came from as a single bit that went through
/// randomised response (and the epsilon budget) on this machine: <see cref="Helpful"/> may be flipped.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.QueuedReport")]
public sealed record QueuedReport(
    [property: Id(0)] string Id,
    [property: Id(1)] string Pool,
    [property: Id(2)] string Topic,
    [property: Id(3)] string InsightId,
    [property: Id(4)] bool Helpful,
    [property: Id(5)] double Epsilon);
