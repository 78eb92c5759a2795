namespace Commons.Pools.Client;

/// <summary>
/// Which of these staged ids (wording or group ids) a topic no longer serves. Free of charge: a pool
/// tells any member holding its insights which ones it has withdrawn.
/// </summary>
public sealed record WithdrawnRequest(string Topic, IReadOnlyList<string> Ids)
{
    /// <summary>Most ids in one request.</summary>
    public const int MaxIds = 1000;
}
