using System.Globalization;
using System.Net;
using Commons.Insights;
using Commons.Pools.Client;
using Npgsql;

namespace Commons.Community.Tests;

/// <summary>
/// How far a topic's grouping (MiniLM embeddings, after the receipt) may fall behind its publishing,
/// and what a restart costs when it has: real <c>commons pool serve</c> processes on PostgreSQL.
/// </summary>
public sealed class GroupingLagTests : ServeProcessTests
{
    private const string Topic = "lag.texts";
    private const string Common = "heating left on while away";
    private const string CommonAdvice = "turn the thermostat down before leaving";

    [PostgresFact]
    public async Task RestartWithTheLogUngrouped_FirstCallsAnswerWithinTheWait_NotAfterReembeddingTheLog()
    {
        var config = Config("""{ "Pool": { "GroupingWaitSeconds": 0.5, "PublishesPerSecond": 100000, "PublishBurst": 100000, "MaxUngroupedTexts": 100000 } }""");
        var before = await ServeProcess.StartAsync(Database, Admin.KeyId, "--config", config);
        var (first, firstKey) = await MemberAsync(before.Url);
        var (second, secondKey) = await MemberAsync(before.Url);
        var (reader, readerKey) = await MemberAsync(before.Url);
        await first.PublishAsync(Artifacts.Sign(firstKey, Topic, Common, CommonAdvice));
        await second.PublishAsync(Artifacts.Sign(secondKey, Topic, Common, CommonAdvice));
        const int distinct = 1500;
        await PublishDistinctAsync(first, firstKey, distinct);
        before.Kill();
        await before.DisposeAsync();
        // As when a silo stops while grouping lags: no text of the log has a recorded placement, so the
        // restarted topic must embed all of them again.
        await DeletePlacementsAsync();

        await using var after = await ServeProcess.StartAsync(Database, Admin.KeyId, "--config", config);
        var again = ClientFor(after.Url, readerKey);
        var freeReads = (await again.GetMeAsync()).FreeReadsLeft;
        // The first call activates the topic and waits for its regrouping half a second: whether an
        // insight a member staged was withdrawn cannot be told from a half-rebuilt group, so it says
        // "try again" instead of waiting for 1,500 texts to be embedded; so does a digest, whose
        // positions a half-rebuilt order would shift under members' cursors (the read is given back).
        var busy = await Assert.ThrowsAsync<PoolApiException>(() => again.WithdrawnAsync(Topic, ["g-unknown"]));
        var digestBusy = await Assert.ThrowsAsync<PoolApiException>(() => again.DigestAsync(Topic));
        // A query answers from the groups there are, within the wait (no exception).
        await again.QueryAsync(Topic, "leaving the heating on");
        await UntilAnsweredAsync(() => again.WithdrawnAsync(Topic, ["g-unknown"]));
        var served = await again.QueryAsync(Topic, "leaving the heating on");
        var digest = await again.DigestAsync(Topic);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.Status);
        Assert.Contains("regrouping", busy.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, digestBusy.Status);
        var group = Assert.Single(served, i => i.Situation == Common);
        Assert.Equal(2, group.Contributors);
        Assert.Single(digest.Insights, i => i.Situation == Common);
        // Two queries and a digest paid for; the refused digest was given back.
        Assert.Equal(freeReads - 3, (await again.GetMeAsync()).FreeReadsLeft);
    }

    [PostgresFact]
    public async Task NewTextsBeyondWhatGroupingOwes_AreRefusedWithTryAgain_KnownTextsAreTaken_AndNothingIsLost()
    {
        var config = Config("""{ "Pool": { "MaxUngroupedTexts": 20, "PublishesPerSecond": 100000, "PublishBurst": 100000 } }""");
        await using var serve = await ServeProcess.StartAsync(Database, Admin.KeyId, "--config", config);
        var (first, firstKey) = await MemberAsync(serve.Url);
        var (second, secondKey) = await MemberAsync(serve.Url);
        await first.PublishAsync(Artifacts.Sign(firstKey, Topic, Common, CommonAdvice));

        // Waves of 100 new texts, each sent at once, the next once the last was answered: of a wave
        // that finds grouping owing nothing, about the first 20 are taken and the rest refused (they come
        // within milliseconds; embedding the 20 takes longer). A text the topic knows, sent by another
        // member inside the first wave, is taken all the same.
        var artifacts = Enumerable.Range(0, 400).Select(i => Distinct(firstKey, i)).ToList();
        var outcomes = new List<PoolApiException?>();
        Task<Abstractions.Pools.PublishReceipt>? knownPublish = null;
        foreach (var wave in artifacts.Chunk(100))
        {
            var publishes = wave.Select(async a =>
            {
                try
                {
                    await first.PublishAsync(a);
                    return (PoolApiException?)null;
                }
                catch (PoolApiException ex)
                {
                    return ex;
                }
            }).ToList();
            knownPublish ??= second.PublishAsync(Artifacts.Sign(secondKey, Topic, Common, CommonAdvice));
            outcomes.AddRange(await Task.WhenAll(publishes));
        }

        var known = await knownPublish!;
        var firstWaveRefused = outcomes.Take(100).Count(o => o is not null);
        var refused = outcomes.Where(o => o is not null).ToList();
        // An agent tries the refused ones again later; every one is taken in the end.
        foreach (var (artifact, outcome) in artifacts.Zip(outcomes))
        {
            if (outcome is not null)
            {
                await UntilAnsweredAsync(() => first.PublishAsync(artifact));
            }
        }

        var served = await UntilAnsweredAsync(() => second.QueryAsync(Topic, "leaving the heating on"));
        var status = await first.GetMeAsync();

        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r!.Status));
        Assert.Contains("still grouping", refused[0]!.Message, StringComparison.Ordinal);
        Assert.False(known.Duplicate);
        Assert.True(firstWaveRefused > 0, "The first wave brought more new texts than grouping may owe, yet none was refused.");
        Assert.Equal(2, Assert.Single(served, i => i.Situation == Common).Contributors);
        Assert.Equal(401, status.Contributions);
    }

    private async Task PublishDistinctAsync(PoolClient client, ContributorKey key, int count)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await client.PublishAsync(Distinct(key, i));
            }
        }));
    }

    private static InsightArtifact Distinct(ContributorKey key, int i) =>
        Artifacts.Sign(key, Topic, string.Create(CultureInfo.InvariantCulture, $"a reminder for bill number {i} of the household"),
            string.Create(CultureInfo.InvariantCulture, $"pay bill {i} on the first of the month"), second: i % 600);

    private async Task DeletePlacementsAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM CommonsTopicTexts WHERE Topic = @topic", connection);
        delete.Parameters.AddWithValue("topic", Topic);
        await delete.ExecuteNonQueryAsync();
    }

    private string Config(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"commons-lag-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A call tried again on "try again" (503), as an agent does, for up to five minutes.</summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (PoolApiException ex) when (ex.Status == HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(250);
            }
        }
    }
}
