namespace Commons.Abstractions.Agents;

/// <summary>Sampling a client asks for on one turn; null values keep the model's settings.</summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnSampling")]
public sealed record TurnSampling(
    [property: Id(0)] float? Temperature = null,
    [property: Id(1)] int? MaxTokens = null,
    [property: Id(2)] IReadOnlyList<string>? Stop = null,
    [property: Id(3)] long? Seed = null,
    [property: Id(4)] float? TopP = null);
