namespace Commons.Pools.Client;

/// <summary>
/// One artifact a pool withdrew, as its peers read it (<c>GET /v1/feed/withdrawals</c>): <c>removal</c>
/// (a moderator's; <see cref="Statement"/> says why) or <c>erasure</c> (<see cref="Statement"/> is the
/// contributor's own signed <see cref="ForgetStatement"/>, which the peer checks).
/// </summary>
public sealed record WithdrawalItem(long Seq, string Topic, string ArtifactId, string Kind, string Statement);
