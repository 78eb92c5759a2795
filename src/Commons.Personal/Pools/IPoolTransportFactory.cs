using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Personal.Pools;

/// <summary>Opens the transport to one pool, speaking for the member key that pool admitted.</summary>
public interface IPoolTransportFactory
{
    IPoolTransport Open(PoolMembership membership, ContributorKey key);
}
