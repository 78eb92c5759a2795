namespace Commons.Abstractions.Agents;

/// <summary>
/// How a turn ended (<c>stop</c>, <c>length</c> or <c>tool_calls</c>) and the tokens it took; <see cref="Note"/>
/// is what the person is told on screen about it (the context window cut the reply), never part of the reply.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnFinish")]
public sealed record TurnFinish(
    [property: Id(0)] string Reason,
    [property: Id(1)] int PromptTokens,
    [property: Id(2)] int CompletionTokens,
    [property: Id(3)] string? Note = null);
