namespace Commons.Abstractions.Pools;

/// <summary>
/// A member key's standing in a pool: admission, the reciprocity ledger (credit earned by accepted
/// contributions, spent by reads, the free allowance left today) and the reputation that outcome
/// reports on its contributions give it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.MemberStatus")]
public sealed record MemberStatus(
    [property: Id(0)] string Key,
    [property: Id(1)] bool IsMember,
    [property: Id(2)] DateTimeOffset? AdmittedAt,
    [property: Id(3)] long Contributions,
    [property: Id(4)] long CreditEarned,
    [property: Id(5)] long CreditSpent,
    [property: Id(6)] int FreeReadsLeft,
    [property: Id(7)] long Reads,
    [property: Id(8)] double Reputation,
    [property: Id(9)] int OutcomeReports)
{
    /// <summary>Credit that can still be spent on reads (beyond the free allowance).</summary>
    public long Balance => CreditEarned - CreditSpent;
}
