using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>
/// What the operator's withdrawn and suspended counts say: each artifact withdrawn counted once, when it
/// is withdrawn (not per member that asks about it), and a suspension counted when the policy's rule
/// suspends a member (real silo, PostgreSQL, HTTP).
/// </summary>
public sealed class PoolMetricsTests : IAsyncLifetime
{
    private const string Situation = "the person asks what the weather will be like tomorrow";
    private const string Advice = "give the forecast for the whole day with the temperature";
    private GovernedPool? _governed;
    private PoolCounters? _counters;

    private GovernedPool Governed => _governed!;

    private TestPool Pool => Governed.Pool;

    private PoolCounters Counters => _counters!;

    public async Task InitializeAsync()
    {
        _governed = await GovernedPool.StartAsync(k: 2, suspendAfter: 2);
        _counters = new PoolCounters(Pool.Silo);
    }

    public async Task DisposeAsync()
    {
        _counters?.Dispose();
        await Governed.DisposeAsync();
    }

    /// <summary>Two members publish the same insight (k = 2: served); the readers stage it.</summary>
    private async Task<(string StagedId, List<(PoolClient Client, ContributorKey Key)> Authors)> ServedAsync(string topic, IReadOnlyList<PoolClient> readers)
    {
        var authors = new List<(PoolClient, ContributorKey)>();
        for (var i = 0; i < 2; i++)
        {
            var (client, key) = await Pool.MemberAsync();
            await client.PublishAsync(Governed.Redacted(key, topic, Situation, Advice));
            authors.Add((client, key));
        }

        string? staged = null;
        foreach (var reader in readers)
        {
            var insight = Assert.Single((await reader.DigestAsync(topic)).Insights, i => i.ArtifactJson is not null);
            staged = WordingId.Of(insight.GroupId, InsightArtifactParser.Parse(insight.ArtifactJson!).Artifact!.Id);
        }

        return (staged!, authors);
    }

    [PostgresFact]
    public async Task Withdrawn_CountsEachArtifactOnce_NotEachMemberThatAsks()
    {
        var readers = new List<PoolClient>();
        for (var i = 0; i < 3; i++)
        {
            readers.Add((await Pool.MemberAsync()).Client);
        }

        // An erasure withdraws one artifact; a removal withdraws both artifacts of another insight.
        var (erasedStaged, erasing) = await ServedAsync("calendar.reminders", readers);
        var (client, key) = erasing[0];
        await client.ForgetAsync(SignedStatement<ForgetStatement>.Sign(new ForgetStatement(ForgetStatement.Forget, key.KeyId, Pool.Url.ToString(), DateTimeOffset.UtcNow), key));
        var (removedStaged, _) = await ServedAsync("weather.queries", readers);
        var report = await readers[0].ReportAsync(new ReportRequest("weather.queries", removedStaged, "wrong"));
        await Pool.AdminClient().ModerateAsync(new ModerationRequest("remove", report.QuarantineId));

        // Every reader asks about both, twice, as each pull does.
        for (var round = 0; round < 2; round++)
        {
            foreach (var reader in readers)
            {
                Assert.Equal([erasedStaged], await reader.WithdrawnAsync("calendar.reminders", [erasedStaged]));
                Assert.Equal([removedStaged], await reader.WithdrawnAsync("weather.queries", [removedStaged]));
            }
        }

        Assert.Equal(1, Counters["commons.pool.withdrawn/erasure"]);
        Assert.Equal(2, Counters["commons.pool.withdrawn/removal"]);
        Assert.Equal(3, Counters["commons.pool.withdrawn"]);
    }

    [PostgresFact]
    public async Task Suspended_IsCounted_WhenThePolicysRuleSuspendsAMember()
    {
        var (client, key) = await Pool.MemberAsync();
        Assert.Equal(0, Counters["commons.pool.members.suspended"]);

        // Two violations (suspendAfter 2): a never-shared topic, then a surviving e-mail address.
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Redacted(key, "health.symptoms", Situation, Advice)));
        Assert.Equal(0, Counters["commons.pool.members.suspended"]);
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Raw(key, "weather.queries", Situation, "mail jane.doe@example.com")));
        // Refused again while suspended: still one suspension.
        await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Governed.Redacted(key, "weather.queries", Situation, Advice)));

        Assert.Equal(1, Counters["commons.pool.members.suspended"]);
    }
}
