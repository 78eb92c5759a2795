namespace Commons.Abstractions.Sharing;

/// <summary>What approving or denying an artifact did: applied (with the item), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareDecision")]
public sealed record ShareDecision(
    [property: Id(0)] bool Applied,
    [property: Id(1)] string Message,
    [property: Id(2)] ShareItem? Item);
