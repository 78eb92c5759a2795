namespace Commons.Abstractions.Agents;

/// <summary>A tool the client declares: the agent never runs it; a call to it is handed back to the client.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ClientTool")]
public sealed record ClientTool(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string ParametersSchema);
