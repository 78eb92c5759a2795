namespace Commons.Pools.Client;

/// <summary>
/// A pool's own rules, as its admin signed them (<see cref="SignedPoolPolicy"/>) and <c>GET /v1/policy</c>
/// publishes them: the member policies it accepts (<c>id</c> or <c>id@hash</c>), the topics it takes and
/// never takes, the redaction it requires (detector ids and the sha256 of its shared vocabulary), k,
/// the longest artifact lifetime, after how many violations a member is suspended, and the key its
/// receipts are signed with.
/// </summary>
public sealed record PoolPolicyDocument(
    int Version,
    string Pool,
    string AdminKey,
    string? ReceiptKey,
    DateTimeOffset Issued,
    string PolicyHash,
    IReadOnlyList<string> AcceptedPolicies,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> NeverShared,
    IReadOnlyList<string> Detectors,
    string Vocabulary,
    int K,
    int MaxLifetimeDays,
    int SuspendAfter);
