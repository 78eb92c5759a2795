namespace Commons.Abstractions.Learning;

/// <summary>
/// What the owner's own use of an imported insight showed, queued for the pool (through the privacy
/// pipeline, like any other export).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.OutcomeReport")]
public sealed record OutcomeReport(
    [property: Id(0)] string ArtifactId,
    [property: Id(1)] string Pool,
    [property: Id(2)] double Successes,
    [property: Id(3)] double Failures,
    [property: Id(4)] bool Retired,
    [property: Id(5)] DateTimeOffset At);
