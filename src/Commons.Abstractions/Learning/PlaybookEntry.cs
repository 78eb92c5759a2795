namespace Commons.Abstractions.Learning;

/// <summary>
/// One thing the agent has learned: when it applies (<see cref="Situation"/>), what to do
/// (<see cref="Advice"/> and/or <see cref="Action"/>), and how that has worked out: a
/// Beta(1 + successes + prior successes, 1 + failures + prior failures) posterior.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.PlaybookEntry")]
public sealed record PlaybookEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Situation,
    [property: Id(2)] string Advice,
    [property: Id(3)] string? Action,
    [property: Id(4)] double Successes,
    [property: Id(5)] double Failures,
    [property: Id(6)] double PriorSuccesses,
    [property: Id(7)] double PriorFailures,
    [property: Id(8)] EntryOrigin Origin,
    [property: Id(9)] EntryStatus Status,
    [property: Id(10)] DateTimeOffset Created,
    [property: Id(11)] DateTimeOffset Updated,
    [property: Id(12)] int Uses,
    [property: Id(13)] string? Source,
    [property: Id(14)] string? Note)
{
    /// <summary>First parameter of the posterior.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Alpha => 1 + Successes + PriorSuccesses;

    /// <summary>Second parameter of the posterior.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Beta => 1 + Failures + PriorFailures;

    /// <summary>Posterior mean success rate.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Mean => Alpha / (Alpha + Beta);
}
