namespace Commons.Abstractions.Sharing;

/// <summary>What a run of the candidates through the export pipeline did: what it queued (artifacts, and trial reports as randomised-response bits), what it refused and why.</summary>
[GenerateSerializer, Immutable, Alias("Commons.SharePreparation")]
public sealed record SharePreparation(
    [property: Id(0)] IReadOnlyList<ShareItem> Queued,
    [property: Id(1)] IReadOnlyList<ShareRefusal> Refusals,
    [property: Id(2)] int Candidates,
    [property: Id(3)] int ReportsQueued = 0);
