namespace Commons.Pools.Client;

/// <summary>Body of <c>POST /v1/admin/peers</c> (signed by the admin key): a peer pool and its invite for this pool.</summary>
public sealed record PeerAddRequest(string Url, string Invite);
