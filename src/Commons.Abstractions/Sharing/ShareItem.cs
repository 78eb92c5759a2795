namespace Commons.Abstractions.Sharing;

/// <summary>
/// One artifact on its way out: <see cref="Json"/> is its canonical JSON signed with the person's own
/// contributor key (what the review shows when no pool is joined), <see cref="Copies"/> exactly the bytes
/// that leave for each pool (the same body, signed with that pool's member key), <see cref="Id"/> its
/// content id, <see cref="Source"/> what it was made from (<c>entry:e12</c>), <see cref="Note"/> why it
/// needs or skipped approval. <see cref="Automatic"/>: approved by the policy, so a pool joined later
/// gets a copy too; what the person approved goes only to the pools shown then.
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
    [property: Id(7)] DateTimeOffset Prepared,
    [property: Id(8)] IReadOnlyList<ShareCopy>? Copies = null,
    [property: Id(9)] bool Automatic = false);
