namespace Commons.Pools.Client;

/// <summary>What one delivery round did: sent (with receipts), rejected by the pool (with its reason), still waiting.</summary>
public sealed record OutboxDelivery(int Sent, int Rejected, int Waiting, IReadOnlyList<string> Reasons);
