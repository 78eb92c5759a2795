namespace Commons.Abstractions.Agents;

/// <summary>What <c>/history</c> lists about a conversation.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ConversationSummary")]
public sealed record ConversationSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] DateTimeOffset Started,
    [property: Id(3)] DateTimeOffset LastActive,
    [property: Id(4)] int TurnCount,
    [property: Id(5)] bool IsCurrent);
