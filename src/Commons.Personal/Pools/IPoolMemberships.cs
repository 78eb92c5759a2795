using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Personal.Pools;

/// <summary>
/// The pools an owner's agent belongs to, the member key each admitted, and how far each was read. In
/// the product one person's <c>$COMMONS_HOME/pools/</c>; in the benchmark, many simulated people's.
/// </summary>
public interface IPoolMemberships
{
    IReadOnlyList<PoolMembership> List(string owner);

    /// <summary>The key the pool admitted (the caller disposes it).</summary>
    ContributorKey KeyOf(string owner, PoolMembership membership);

    /// <summary>Saves what changed (cursors, counts); the membership is found by its URL.</summary>
    void Save(string owner, PoolMembership membership);
}
