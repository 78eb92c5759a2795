namespace Commons.Pools.Client;

/// <summary>
/// What <c>GET /v1/policy</c> tells members: the pool's identity and its sharing terms, and the rules its
/// admin signed (<see cref="Governance"/>; null for a pool that runs without a signed policy).
/// </summary>
public sealed record PoolPolicyInfo(
    string Name,
    string AdminKey,
    int K,
    int CapPerContributor,
    double TrimFraction,
    string Aggregation,
    int FreeReadsPerDay,
    int CreditPerContribution,
    int ReadCost,
    double SimilarityThreshold,
    SignedPoolPolicy? Governance = null);
