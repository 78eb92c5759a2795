namespace Commons.Abstractions.Agents;

/// <summary>Which turn a reply is: its conversation and its position in it (what feedback on a reply id names).</summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnReference")]
public sealed record TurnReference(
    [property: Id(0)] string ConversationId,
    [property: Id(1)] int Index);
