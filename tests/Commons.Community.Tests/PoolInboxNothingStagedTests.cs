using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>What a member is told when a pull that went through staged nothing.</summary>
public sealed class PoolInboxNothingStagedTests
{
    private static readonly Dictionary<string, int> NeverPulled = [];

    [Fact]
    public async Task WhyNothingStaged_NothingServedYet_NamesTheTopicsAndThePoolsK()
    {
        var why = await PoolInbox.WhyNothingStagedAsync(["weather.queries", "music.playback"], NeverPulled, () => Task.FromResult<int?>(3));

        Assert.Equal("nothing is served yet in weather.queries, music.playback: a group of insights is served once 3 distinct members back it (this pool's k is 3)", why);
    }

    [Fact]
    public async Task WhyNothingStaged_PoolDoesNotSayItsK_SaysEnoughMembers()
    {
        var why = await PoolInbox.WhyNothingStagedAsync(["weather.queries"], NeverPulled, () => Task.FromResult<int?>(null));

        Assert.EndsWith("served only once enough distinct members back it (the pool's k)", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhyNothingStaged_ATopicWasServedBefore_SaysNothingIsNew()
    {
        var why = await PoolInbox.WhyNothingStagedAsync(["weather.queries", "music.playback"], new Dictionary<string, int> { ["music.playback"] = 4 }, () => Task.FromResult<int?>(3));

        Assert.Equal("nothing new since the last pull", why);
    }

    [Fact]
    public async Task WhyNothingStaged_NoTopics_SaysOnlyThePolicysTopicsArePulled()
    {
        var why = await PoolInbox.WhyNothingStagedAsync([], NeverPulled, () => Task.FromResult<int?>(3));

        Assert.Contains("names no topics", why, StringComparison.Ordinal);
    }
}
