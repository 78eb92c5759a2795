namespace Commons.Abstractions.Pools;

/// <summary>
/// One member key of a pool: admission, the reciprocity ledger and reputation.
/// </summary>
[Alias("Commons.IContributorGrain")]
public interface IContributorGrain : IGrainWithStringKey
{
    /// <summary>Admits the key (idempotent) on a redeemed invite.</summary>
    [Alias("Admit")]
    Task<MemberStatus> AdmitAsync(string inviteId);

    [Alias("GetStatus")]
    Task<MemberStatus> GetStatusAsync(LedgerPolicy policy);

    /// <summary>Counts accepted (new) contributions (credit comes with <see cref="EarnCreditAsync"/>, once others back them).</summary>
    [Alias("RecordContributions")]
    Task RecordContributionsAsync(int accepted, LedgerPolicy policy);

    /// <summary>Credits a member for groups it backs that other members back too (<paramref name="groups"/> of them).</summary>
    [Alias("EarnCredit")]
    Task EarnCreditAsync(int groups, LedgerPolicy policy);

    /// <summary>Spends a read from the free allowance or, when that is used up, from earned credit.</summary>
    [Alias("TrySpendRead")]
    Task<ReadDecision> TrySpendReadAsync(LedgerPolicy policy);

    /// <summary>Gives back a read <see cref="TrySpendReadAsync"/> allowed, when the pool could not answer it.</summary>
    [Alias("RefundRead")]
    Task RefundReadAsync(ReadDecision spent, LedgerPolicy policy);

    /// <summary>Records another member's report on a group this key contributed to (one vote per reporter and group).</summary>
    [Alias("ApplyOutcome")]
    Task ApplyOutcomeAsync(string reporter, string groupId, bool helpful, double? epsilon = null);

    /// <summary>The reputation (a share in (0, 1), 0.5 until outcome reports say otherwise) and the standing it gives under <paramref name="policy"/>.</summary>
    [Alias("GetReputation")]
    Task<ContributorReputation> GetReputationAsync(StandingPolicy policy);
}
