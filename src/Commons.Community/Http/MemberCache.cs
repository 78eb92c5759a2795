using System.Collections.Concurrent;

namespace Commons.Community.Http;

/// <summary>
/// Keys this silo has seen admitted. Admission is never withdrawn, so a known member needs no grain
/// call on each request; an unknown key is looked up in its grain.
/// </summary>
public sealed class MemberCache
{
    private readonly ConcurrentDictionary<string, bool> _members = new(StringComparer.Ordinal);

    public bool IsKnown(string key) => _members.ContainsKey(key);

    public void Add(string key) => _members[key] = true;
}
