namespace Commons.Abstractions.Agents;

/// <summary>
/// One piece of a streamed turn: the first names the turn, then text and calls to the client's tools
/// arrive, and the last says how it finished.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnUpdate")]
public sealed record TurnUpdate(
    [property: Id(0)] string Text = "",
    [property: Id(1)] IReadOnlyList<ClientToolCall>? ToolCalls = null,
    [property: Id(2)] TurnReference? Turn = null,
    [property: Id(3)] TurnFinish? Finish = null);
