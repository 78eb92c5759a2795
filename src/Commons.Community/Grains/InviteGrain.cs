using Commons.Abstractions.Pools;

namespace Commons.Community.Grains;

/// <summary>One invite's uses; see <see cref="IInviteGrain"/>.</summary>
public sealed class InviteGrain(
    [PersistentState("invite", PoolStorageNames.Pool)] IPersistentState<InviteState> state) : Grain, IInviteGrain
{
    public async Task<bool> RedeemAsync(string member, int maxUses)
    {
        if (state.State.Members.Contains(member, StringComparer.Ordinal))
        {
            return true;
        }

        if (state.State.Members.Count >= maxUses)
        {
            return false;
        }

        state.State.Members.Add(member);
        await state.WriteStateAsync();
        return true;
    }
}
