namespace Commons.Abstractions.Pools;

/// <summary>One invite, keyed by its id: how many of its uses are taken, and by which keys.</summary>
[Alias("Commons.IInviteGrain")]
public interface IInviteGrain : IGrainWithStringKey
{
    /// <summary>True when <paramref name="member"/> holds a use of the invite (now or before); false when all uses are taken.</summary>
    [Alias("Redeem")]
    Task<bool> RedeemAsync(string member, int maxUses);
}
