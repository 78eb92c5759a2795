namespace Commons.Abstractions.Sharing;

/// <summary>An approved artifact's copy that waits for one pool: exactly these bytes leave.</summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareDelivery")]
public sealed record ShareDelivery(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Pool,
    [property: Id(2)] string Json);
