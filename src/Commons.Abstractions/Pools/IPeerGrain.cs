namespace Commons.Abstractions.Pools;

/// <summary>Replication from one peer pool, keyed by its URL: joins with an invite, then follows its feed.</summary>
[Alias("Commons.IPeerGrain")]
public interface IPeerGrain : IGrainWithStringKey
{
    /// <summary>Joins the peer pool with an invite it issued to this pool.</summary>
    [Alias("Join")]
    Task<PeerStatus> JoinAsync(string invite);

    /// <summary>Pulls every topic's feed from the peer after the stored cursors, verifying each artifact.</summary>
    [Alias("Sync")]
    Task<PeerStatus> SyncAsync();

    [Alias("GetStatus")]
    Task<PeerStatus> GetStatusAsync();
}
