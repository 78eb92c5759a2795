namespace Commons.Abstractions.Sharing;

/// <summary>
/// One artifact as it leaves for one pool: signed with the member key that pool admitted (a pseudonym per
/// pool, so two pools cannot link one person), so <see cref="Json"/> differs from the other pools' copies
/// only in the contributor and the signature.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.ShareCopy")]
public sealed record ShareCopy(
    [property: Id(0)] string Pool,
    [property: Id(1)] string Json,
    [property: Id(2)] ShareCopyState State,
    [property: Id(3)] string? Reason = null);
