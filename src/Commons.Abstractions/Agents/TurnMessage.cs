namespace Commons.Abstractions.Agents;

/// <summary>An earlier message a stateless client sends along (role <c>user</c> or <c>assistant</c>).</summary>
[GenerateSerializer, Immutable, Alias("Commons.TurnMessage")]
public sealed record TurnMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] string Text);
