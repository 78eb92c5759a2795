using Commons.Abstractions.Pools;
using Commons.Insights;

namespace Commons.Community.Grains;

/// <summary>The pool-wide lists; see <see cref="IPoolDirectoryGrain"/>.</summary>
public sealed class PoolDirectoryGrain(
    [PersistentState("directory", PoolStorageNames.Pool)] IPersistentState<PoolDirectoryState> state) : Grain, IPoolDirectoryGrain
{
    public async Task AddPeerAsync(string url)
    {
        if (!state.State.Peers.Contains(url, StringComparer.Ordinal))
        {
            state.State.Peers.Add(url);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListPeersAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Peers.ToList());

    public async Task<byte[]> GetFederationKeyAsync()
    {
        if (state.State.FederationKey is null)
        {
            using var key = ContributorKey.Create();
            state.State.FederationKey = key.ExportPrivateKey();
            await state.WriteStateAsync();
        }

        return state.State.FederationKey;
    }
}
