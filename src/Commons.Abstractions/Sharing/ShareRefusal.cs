namespace Commons.Abstractions.Sharing;

/// <summary>A candidate the export pipeline refused: nothing of it was queued. Stage is policy, sharing, leak-check, budget, key, ...</summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareRefusal")]
public sealed record ShareRefusal(
    [property: Id(0)] string Source,
    [property: Id(1)] string Stage,
    [property: Id(2)] string Reason);
