using System.Collections.Concurrent;
using Commons.Insights;
using Commons.Personal.Pools;
using Commons.Pools.Client;

namespace Commons.Eval;

/// <summary>The simulated people's memberships of the arm's pool, in memory: one member key each, as a person's agent keeps in its data folder.</summary>
public sealed class EvalMemberships : IPoolMemberships
{
    private readonly ConcurrentDictionary<string, (PoolMembership Membership, byte[] Key)> _members = new(StringComparer.Ordinal);

    public void Add(string owner, PoolMembership membership, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _members[owner] = (membership, key.ExportPrivateKey());
    }

    public IReadOnlyList<PoolMembership> List(string owner) => _members.TryGetValue(owner, out var m) ? [m.Membership] : [];

    public ContributorKey KeyOf(string owner, PoolMembership membership) => ContributorKey.Import(_members[owner].Key);

    public void Save(string owner, PoolMembership membership) =>
        _members.AddOrUpdate(owner, _ => throw new InvalidOperationException($"{owner} joined no pool."), (_, m) => (membership, m.Key));

    /// <summary>Each member key's person, for attributing what left.</summary>
    public IReadOnlyDictionary<string, Person> KeysByOwner(IReadOnlyDictionary<string, Person> people) =>
        _members.Where(m => people.ContainsKey(m.Key)).ToDictionary(m => m.Value.Membership.MemberKey, m => people[m.Key], StringComparer.Ordinal);
}
