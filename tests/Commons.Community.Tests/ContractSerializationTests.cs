using Commons.Abstractions.Pools;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Commons.Community.Tests;

/// <summary>Every type that crosses a pool grain call round-trips through the silo's serializer (no CodecNotFoundException).</summary>
[Collection(PoolCollection.Name)]
public sealed class ContractSerializationTests(PoolFixture fixture)
{
    [PostgresFact]
    public void Serializer_EveryPoolContract_RoundTrips()
    {
        var serializer = fixture.Pool.Silo.Services.GetRequiredService<Serializer>();
        var now = DateTimeOffset.UtcNow;
        var stored = new StoredArtifact(1, "{}", now, "http://peer");
        object[] values =
        [
            new PooledArtifact("id", "t.x", "ed25519:k", "playbook", "s", "a", null, 1, 2, now, now, "{}", null),
            new PublishReceipt("id", "t.x", 1, false, now),
            stored,
            new PoolInsight("g", "t.x", "s", "a", null, 3, 1, 0.5, 5, 5, 0.9, "{}"),
            new FeedPage("t.x", [stored], 1, false),
            new MemberStatus("k", true, now, 1, 2, 3, 4, 5, 0.5, 6),
            new ReadDecision(true, false, 3, null),
            new LedgerPolicy(1, 2, 3),
            new OutcomeResult(true, 3, null),
            new DigestPage([new PoolInsight("g", "t.x", "s", "a", null, 3, 1, 0.5, 5, 5, 0.9, "{}")], 1, false),
            new PeerStatus("http://peer", true, 1, 2, now, null),
        ];

        foreach (var value in values)
        {
            var copy = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;
            Assert.Equal(value.GetType(), copy.GetType());
            if (value is DigestPage digest)
            {
                // Records holding lists compare the lists by reference: compare what they hold.
                var digestCopy = (DigestPage)copy;
                Assert.Equal(digest.Insights, digestCopy.Insights);
                Assert.Equal((digest.Next, digest.HasMore), (digestCopy.Next, digestCopy.HasMore));
            }
            else if (value is not FeedPage)
            {
                Assert.Equal(value, copy);
            }
        }
    }
}
