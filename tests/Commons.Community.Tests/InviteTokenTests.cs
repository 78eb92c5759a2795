using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>Invite tokens, without a pool.</summary>
public sealed class InviteTokenTests : IDisposable
{
    private readonly ContributorKey _admin = ContributorKey.Create();

    public void Dispose() => _admin.Dispose();

    [Fact]
    public void TryRead_PeerInvite_SaysPeer_AndAMemberInviteDoesNot()
    {
        var peer = InviteToken.TryRead(InviteToken.Create(_admin, TimeSpan.FromDays(1), 1, DateTimeOffset.UtcNow, peer: true), out _);
        var member = InviteToken.TryRead(InviteToken.Create(_admin, TimeSpan.FromDays(1), 1, DateTimeOffset.UtcNow), out _);

        Assert.True(peer!.Peer);
        Assert.False(member!.Peer);
        Assert.Equal(_admin.KeyId, peer.PoolKey);
    }
}
