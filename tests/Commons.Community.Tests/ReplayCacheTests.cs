using Commons.Community.Hosting;
using Commons.Community.Http;
using Microsoft.Extensions.Options;

namespace Commons.Community.Tests;

/// <summary>The replay cache on its own, with a hand-set clock.</summary>
public sealed class ReplayCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAccept_SameSignatureTwice_IsFreshThenReplayed()
    {
        var cache = new ReplayCache(new ManualTimeProvider(Start), Options.Create(new PoolOptions()));
        var second = Start.ToUnixTimeSeconds();

        Assert.Equal(ReplayVerdict.Fresh, cache.TryAccept("ed25519:a", second, "sig"));
        Assert.Equal(ReplayVerdict.Replayed, cache.TryAccept("ed25519:a", second, "sig"));
        Assert.Equal(ReplayVerdict.Fresh, cache.TryAccept("ed25519:a", second, "other"));
    }

    [Fact]
    public void TryAccept_WhenFull_RefusesUntilTheOldestSecondLeavesTheWindow()
    {
        var clock = new ManualTimeProvider(Start);
        var cache = new ReplayCache(clock, Options.Create(new PoolOptions { ReplayCacheEntries = 1000 }));
        var second = Start.ToUnixTimeSeconds();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(ReplayVerdict.Fresh, cache.TryAccept("ed25519:a", second, "sig" + i));
        }

        var whileFull = cache.TryAccept("ed25519:a", second + 1, "late");
        clock.Now = Start.AddSeconds(302);
        var afterTheWindow = cache.TryAccept("ed25519:a", second + 2, "late");

        Assert.Equal(ReplayVerdict.Full, whileFull);
        Assert.Equal(ReplayVerdict.Fresh, afterTheWindow);
        Assert.Equal(1, cache.Count);
    }
}
