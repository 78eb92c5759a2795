namespace Commons.Pools.Client;

/// <summary>
/// The pool's receipt for an erasure: which member, when, how many of its artifacts were withdrawn,
/// how many groups they backed and how many of those the pool no longer serves (below k without
/// them), and how many peer pools it tells. Signed with the receipt key the pool's policy names.
/// </summary>
public sealed record ErasureReceipt(
    string Pool,
    string Contributor,
    DateTimeOffset Issued,
    int ArtifactsWithdrawn,
    IReadOnlyList<string> Topics,
    int GroupsBacked,
    int GroupsNoLongerServed,
    int PeersTold);
