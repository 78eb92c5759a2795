namespace Commons.Pools.Client;

/// <summary>
/// One entry an admin reviews: an artifact the pool's policy refused (<c>refused</c>) or an insight a
/// member reported (<c>report</c>), with its author, the reason code and the sentence.
/// </summary>
public sealed record QuarantineItem(
    long Id,
    string Kind,
    string Topic,
    string InsightId,
    string Contributor,
    string Reason,
    string Detail,
    DateTimeOffset CreatedAt,
    string? Resolution);
