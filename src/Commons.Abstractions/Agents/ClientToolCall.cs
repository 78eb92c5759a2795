namespace Commons.Abstractions.Agents;

/// <summary>A call the model made to one of the client's tools, with its arguments as JSON.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ClientToolCall")]
public sealed record ClientToolCall(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string ArgumentsJson);
