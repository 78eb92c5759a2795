namespace Commons.Abstractions.Agents;

/// <summary>One exchange: what the person said and what the agent replied.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ChatTurn")]
public sealed record ChatTurn(
    [property: Id(0)] string UserMessage,
    [property: Id(1)] string Reply,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] bool Interrupted,
    [property: Id(4)] int ReplyTokens,
    [property: Id(5)] double GenerationSeconds,
    [property: Id(6)] string? EpisodeId = null,
    [property: Id(7)] IReadOnlyList<string>? AppliedEntryIds = null);
