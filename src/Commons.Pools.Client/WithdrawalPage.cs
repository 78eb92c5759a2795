namespace Commons.Pools.Client;

/// <summary>A page of a pool's withdrawals after a cursor.</summary>
public sealed record WithdrawalPage(IReadOnlyList<WithdrawalItem> Items, long Next, bool HasMore);
