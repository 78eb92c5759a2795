using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Personal.Pools;

/// <summary>The person's pools in <c>$COMMONS_HOME/pools/</c> (one person per data folder: the owner is the folder's).</summary>
public sealed class FilePoolMemberships(PoolMembershipStore store) : IPoolMemberships
{
    private readonly Lock _gate = new();

    public IReadOnlyList<PoolMembership> List(string owner) => store.List();

    public ContributorKey KeyOf(string owner, PoolMembership membership) => PoolMembershipStore.KeyOf(membership);

    public void Save(string owner, PoolMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        lock (_gate)
        {
            store.Save(membership);
        }
    }
}
