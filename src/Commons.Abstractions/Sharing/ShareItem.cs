namespace Commons.Abstractions.Sharing;

/// <summary>
/// One artifact on its way out: <see cref="Json"/> is exactly the bytes that leave (canonical JSON,
/// signed), <see cref="Id"/> its content id, <see cref="Source"/> what it was made from
/// (<c>entry:e12</c> or <c>outcome:ARTIFACT</c>), <see cref="Note"/> why it needs or skipped approval.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareItem")]
public sealed record ShareItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Topic,
    [property: Id(3)] string Source,
    [property: Id(4)] string Json,
    [property: Id(5)] ShareItemState State,
    [property: Id(6)] string Note,
    [property: Id(7)] DateTimeOffset Prepared);
