namespace Commons.Community.Grains;

/// <summary>The pool-wide lists: topics, peers, and the pool's own key for peer pools.</summary>
public sealed class PoolDirectoryState
{
    /// <summary>Topics as this grain listed them before the TopicDirectory (05-commons-topics.sql copies them once); no longer written.</summary>
    public List<string> Topics { get; set; } = [];

    public List<string> Peers { get; set; } = [];

    public byte[]? FederationKey { get; set; }
}
