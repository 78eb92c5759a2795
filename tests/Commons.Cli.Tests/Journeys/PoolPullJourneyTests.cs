namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// The README's first steps with a pool, through the real <c>commons</c> executable and a real
/// <c>commons pool serve</c> on PostgreSQL (k = 2): a member's first pull, before any group has k
/// backers, says why nothing was staged; a push to the pool once it is down says it could not reach it.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class PoolPullJourneyTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Pull_NothingServedYet_SaysWhyWithThePoolsK_AndPushToAStoppedPoolFails()
    {
        var ana = new Person(_scratch, "ana");
        string url;
        await using (var pool = await PoolHost.StartAsync(_scratch))
        {
            url = pool.Url;
            await pool.JoinAsync(ana.Home);

            var pulled = PoolHost.Succeeded(await ana.RunAsync("pool", "pull"));
            Assert.Contains($"{url}: staged 0 insights; nothing is served yet in calendar.scheduling,", pulled.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("weather.queries: a group of insights is served once 2 distinct members back it (this pool's k is 2)", pulled.StandardOutput, StringComparison.Ordinal);

            var one = PoolHost.Succeeded(await ana.RunAsync("pool", "pull", "--topic", "weather.queries"));
            Assert.Contains("nothing is served yet in weather.queries: ", one.StandardOutput, StringComparison.Ordinal);

            var pushed = PoolHost.Succeeded(await ana.RunAsync("pool", "push"));
            Assert.Contains($"{url}: sent 0, refused 0, still waiting 0, reports sent 0", pushed.StandardOutput, StringComparison.Ordinal);
        }

        // The pool's silo has stopped: nothing waits to be sent, and still the push says it reached no pool.
        var down = await ana.RunAsync("pool", "push");
        BadInputAssert.OneSentence(down, url, "could not be reached");
    }
}
