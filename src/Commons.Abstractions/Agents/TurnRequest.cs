namespace Commons.Abstractions.Agents;

/// <summary>
/// A turn asked for by a program (the OpenAI-compatible API) rather than typed at the chat: the message,
/// which conversation it belongs to, and the client's own sampling, tools and response format.
/// <see cref="ModelFile"/>: the local model file the request leased (the reply is written with that one, not whichever is in use by then).
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnRequest")]
public sealed record TurnRequest(
    [property: Id(0)] string Message,
    [property: Id(1)] string? ConversationKey = null,
    [property: Id(2)] IReadOnlyList<TurnMessage>? Earlier = null,
    [property: Id(3)] string? Instructions = null,
    [property: Id(4)] TurnSampling? Sampling = null,
    [property: Id(5)] IReadOnlyList<ClientTool>? Tools = null,
    [property: Id(6)] string? ToolChoice = null,
    [property: Id(7)] string? ResponseSchema = null,
    [property: Id(8)] string? ResponseSchemaName = null,
    [property: Id(9)] string? ModelFile = null)
{
    /// <summary><see cref="ToolChoice"/>: the model may call a client tool or answer.</summary>
    public const string ToolChoiceAuto = "auto";

    /// <summary><see cref="ToolChoice"/>: no tool is offered.</summary>
    public const string ToolChoiceNone = "none";

    /// <summary><see cref="ToolChoice"/>: the model must call one of the client's tools.</summary>
    public const string ToolChoiceRequired = "required";
}
