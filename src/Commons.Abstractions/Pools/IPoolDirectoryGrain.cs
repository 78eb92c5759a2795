namespace Commons.Abstractions.Pools;

/// <summary>The pool-wide lists (one grain, key 0): the peer pools (topics are in the pool's TopicDirectory).</summary>
[Alias("Commons.IPoolDirectoryGrain")]
public interface IPoolDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("AddPeer")]
    Task AddPeerAsync(string url);

    [Alias("ListPeers")]
    Task<IReadOnlyList<string>> ListPeersAsync();

    /// <summary>The pool's own member key for peer pools (32-byte Ed25519 seed), created on first use.</summary>
    [Alias("GetFederationKey")]
    Task<byte[]> GetFederationKeyAsync();
}
