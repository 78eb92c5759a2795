using System.Net;
using System.Text;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;
using Orleans.Runtime;

namespace Commons.Community.Tests;

/// <summary>The pool HTTP API on a real silo (PostgreSQL, HTTP on 127.0.0.1, real signatures).</summary>
[Collection(PoolCollection.Name)]
public sealed class PoolApiTests(PoolFixture fixture)
{
    private TestPool Pool => fixture.Pool;

    /// <summary>Each situation published by a member of its own, all with the same advice; the members, in order.</summary>
    private async Task<List<PoolClient>> PublishWordingsAsync(string topic, string advice, params string[] situations)
    {
        var authors = new List<PoolClient>();
        foreach (var situation in situations)
        {
            var (client, key) = await Pool.MemberAsync();
            await client.PublishAsync(Artifacts.Sign(key, topic, situation, advice));
            authors.Add(client);
        }

        return authors;
    }

    [PostgresFact]
    public async Task Join_InviteSignedByAdmin_AdmitsMember()
    {
        var client = Pool.Stranger(out var key);

        var status = await client.JoinAsync(Pool.Invite());

        Assert.True(status.IsMember);
        Assert.Equal(key.KeyId, status.Key);
        Assert.True((await client.GetMeAsync()).IsMember);
    }

    [PostgresFact]
    public async Task Join_InviteSignedByAnotherKey_IsForbidden()
    {
        using var impostor = ContributorKey.Create();
        var client = Pool.Stranger(out _);

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.JoinAsync(InviteToken.Create(impostor, TimeSpan.FromDays(1), 1, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("admin key", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Join_InviteUsedUp_IsForbidden()
    {
        var invite = Pool.Invite(uses: 1);
        await Pool.Stranger(out _).JoinAsync(invite);

        var error = await Assert.ThrowsAsync<PoolApiException>(() => Pool.Stranger(out _).JoinAsync(invite));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("used up", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Join_TamperedInvite_IsForbidden()
    {
        var invite = Pool.Invite();
        var tampered = invite[..^3] + (invite[^3] == 'A' ? "B" : "A") + invite[^2..];

        var error = await Assert.ThrowsAsync<PoolApiException>(() => Pool.Stranger(out _).JoinAsync(tampered));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [PostgresFact]
    public async Task Publish_NonMember_IsForbidden()
    {
        var client = Pool.Stranger(out var key);

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Artifacts.Sign(key, "t.nonmember", "a situation", "some advice")));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("not a member", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task NonMemberCalls_ActivateNoContributorGrain()
    {
        var strangers = new List<ContributorKey>();
        for (var i = 0; i < 20; i++)
        {
            var client = Pool.Stranger(out var key);
            strangers.Add(key);
            var me = await client.GetMeAsync();
            Assert.False(me.IsMember);
            var refused = await Assert.ThrowsAsync<PoolApiException>(() => client.QueryAsync("t.stranger", "planning a trip"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Artifacts.Sign(key, "t.stranger", "a situation", "some advice")));
        }

        var (member, memberKey) = await Pool.MemberAsync();
        Assert.True((await member.GetMeAsync()).IsMember);

        var active = await Pool.Silo.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create("contributor"));
        var keys = active.Select(id => id.Key.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(memberKey.KeyId, keys);
        Assert.DoesNotContain(strangers, k => keys.Contains(k.KeyId));
    }

    [PostgresFact]
    public async Task Publish_UnsignedRequest_IsUnauthorized()
    {
        var (_, key) = await Pool.MemberAsync();
        using var http = new HttpClient { BaseAddress = Pool.Url };
        using var content = new ByteArrayContent(Artifacts.Sign(key, "t.unsigned", "a situation", "some advice").ToUtf8Bytes());

        using var response = await http.PostAsync(PoolWire.Artifacts, content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not signed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public Task Publish_ChunkedBodyOverTheCap_IsPayloadTooLarge() => PostOversizeBodyAsync(chunked: true);

    [PostgresFact]
    public Task Publish_BodyOverTheCapWithItsLength_IsPayloadTooLarge() => PostOversizeBodyAsync(chunked: false);

    private async Task PostOversizeBodyAsync(bool chunked)
    {
        using var http = new HttpClient { BaseAddress = Pool.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, PoolWire.Artifacts) { Content = new ByteArrayContent(new byte[100 * 1024]) };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Publish_RequestSignedOverOtherBody_IsUnauthorized()
    {
        var (_, key) = await Pool.MemberAsync();
        var body = Artifacts.Sign(key, "t.resigned", "a situation", "some advice").ToUtf8Bytes();
        var (timestamp, signature) = RequestSignature.Sign(key, "POST", PoolWire.Artifacts, Encoding.UTF8.GetBytes("something else"), DateTimeOffset.UtcNow);
        using var http = new HttpClient { BaseAddress = Pool.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, PoolWire.Artifacts) { Content = new ByteArrayContent(body) };
        request.Headers.Add(RequestSignature.KeyHeader, key.KeyId);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp);
        request.Headers.Add(RequestSignature.SignatureHeader, signature);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not verify", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Publish_ArtifactWithForgedEvidence_IsBadRequestWithReason()
    {
        var (client, key) = await Pool.MemberAsync();
        var json = Artifacts.Sign(key, "t.forged", "a situation", "some advice", successes: 3).ToJson();
        var forged = json.Replace("\"successes\":3", "\"successes\":300", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Encoding.UTF8.GetBytes(forged)));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(nameof(InsightRejection.IdMismatch), error.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [PostgresFact]
    public async Task Publish_MalformedJson_IsBadRequestWithReason()
    {
        var (client, _) = await Pool.MemberAsync();

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.PublishAsync(Encoding.UTF8.GetBytes("{\"schema\": ")));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(nameof(InsightRejection.MalformedJson), error.Rejection);
    }

    [PostgresFact]
    public async Task Publish_AnotherMembersArtifact_IsForbidden()
    {
        var (_, author) = await Pool.MemberAsync();
        var (relay, _) = await Pool.MemberAsync();

        var error = await Assert.ThrowsAsync<PoolApiException>(() => relay.PublishAsync(Artifacts.Sign(author, "t.relay", "a situation", "some advice")));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [PostgresFact]
    public async Task Publish_SameArtifactTwice_IsStoredOnce()
    {
        var (client, key) = await Pool.MemberAsync();
        var artifact = Artifacts.Sign(key, "t.idempotent", "a situation", "some advice");

        var first = await client.PublishAsync(artifact);
        var again = await client.PublishAsync(artifact);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.PublishAsync(artifact)));
        var feed = await (await Pool.PeerAsync()).ReadFeedAsync("t.idempotent", 0, 100);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.All(concurrent, r => Assert.True(r.Duplicate));
        Assert.Single(feed.Items);
        Assert.Equal(1, (await client.GetMeAsync()).Contributions);
    }

    [PostgresFact]
    public async Task Query_GroupBackedByFewerThanK_IsServedOnlyAtK()
    {
        const string topic = "t.threshold";
        var members = new List<(PoolClient Client, ContributorKey Key)>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await Pool.MemberAsync());
        }

        // The same member publishing many copies is still one contributor.
        for (var i = 0; i < 4; i++)
        {
            await members[0].Client.PublishAsync(Artifacts.Sign(members[0].Key, topic, "booking a table for a large group", "call ahead and confirm the deposit", second: i));
        }

        await members[1].Client.PublishAsync(Artifacts.Sign(members[1].Key, topic, "booking a table for a large group", "call ahead and confirm the deposit"));
        var belowK = await members[2].Client.QueryAsync(topic, "booking a table for a large group");

        await members[2].Client.PublishAsync(Artifacts.Sign(members[2].Key, topic, "booking a table for a large group", "call ahead and confirm the deposit"));
        var atK = await members[2].Client.QueryAsync(topic, "booking a table for a large group");

        Assert.Empty(belowK);
        var insight = Assert.Single(atK);
        Assert.Equal(3, insight.Contributors);
        Assert.Contains("deposit", insight.Advice, StringComparison.Ordinal);
        Assert.True(InsightArtifactParser.Parse(insight.ArtifactJson).IsValid);
    }

    [PostgresFact]
    public async Task Query_PoisonerWithManyInflatedCopies_IsCappedQuarantinedAndTrimmed()
    {
        const string topic = "t.poison";
        const string situation = "replying to a message from an unknown sender";
        const string advice = "open the attached link to verify the sender";
        for (var i = 0; i < 4; i++)
        {
            var (honest, key) = await Pool.MemberAsync();
            await honest.PublishAsync(Artifacts.Sign(key, topic, situation, advice, successes: 2 + (i % 2), failures: 8));
        }

        var (poisoner, poisonKey) = await Pool.MemberAsync();
        for (var i = 0; i < 30; i++)
        {
            await poisoner.PublishAsync(Artifacts.Sign(poisonKey, topic, situation, advice, successes: 1_000_000, failures: 0, second: i));
        }

        var (reader, _) = await Pool.MemberAsync();
        var insight = Assert.Single(await reader.QueryAsync(topic, situation));

        Assert.Equal(4, insight.Contributors);
        Assert.Equal(1, insight.Quarantined);
        Assert.InRange(insight.SuccessRate, 0.15, 0.4);
        Assert.True(insight.Successes + insight.Failures <= 4 * 100, "each contributor counts for at most the cap");
    }

    [PostgresFact]
    public async Task Query_SameSignedRequestSentTenTimes_IsAnsweredOnceAndSpendsOneRead()
    {
        var (client, key) = await Pool.MemberAsync();
        var freeBefore = (await client.GetMeAsync()).FreeReadsLeft;
        var body = Encoding.UTF8.GetBytes("{\"topic\":\"t.replay\",\"situation\":\"planning a trip\",\"max\":5}");
        var (timestamp, signature) = RequestSignature.Sign(key, "POST", PoolWire.Query, body, DateTimeOffset.UtcNow);
        using var http = new HttpClient { BaseAddress = Pool.Url };
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, PoolWire.Query) { Content = new ByteArrayContent(body) };
            request.Headers.Add(RequestSignature.KeyHeader, key.KeyId);
            request.Headers.Add(RequestSignature.TimestampHeader, timestamp);
            request.Headers.Add(RequestSignature.SignatureHeader, signature);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.All(statuses.Skip(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(freeBefore - 1, (await client.GetMeAsync()).FreeReadsLeft);
    }

    [PostgresFact]
    public async Task Query_SameQueryTwiceAtOnceThroughTheClient_IsAnsweredTwice()
    {
        var (client, _) = await Pool.MemberAsync();

        var both = await Task.WhenAll(client.QueryAsync("t.twice", "planning a trip"), client.QueryAsync("t.twice", "planning a trip"));

        Assert.Equal(2, both.Length);
    }

    [PostgresFact]
    public async Task Query_FreeRider_GetsOnlyTheAllowanceWhileContributorKeepsReading()
    {
        const string topic = "t.freeride";
        var (freeRider, _) = await Pool.MemberAsync();
        var (contributor, key) = await Pool.MemberAsync();
        var (echo, echoKey) = await Pool.MemberAsync();
        // Credit comes for groups another member backs too: five such groups, 2 credit each.
        string[] situations = ["sorting the inbox in the morning", "a parcel that is late", "a meeting across time zones", "watering plants in a heat wave", "a bill that recurs monthly"];
        string[] advice = ["archive newsletters first", "ask the carrier for the tracking page", "confirm the time in both zones", "water early in the morning", "set the reminder two days before"];
        for (var i = 0; i < 5; i++)
        {
            await contributor.PublishAsync(Artifacts.Sign(key, $"{topic}.c{i}", situations[i], advice[i], second: i));
            await echo.PublishAsync(Artifacts.Sign(echoKey, $"{topic}.c{i}", situations[i], advice[i], second: i));
            await contributor.QueryAsync($"{topic}.c{i}", situations[i]);
        }

        for (var i = 0; i < 3; i++)
        {
            await freeRider.QueryAsync(topic, "sorting the inbox");
        }

        var refused = await Assert.ThrowsAsync<PoolApiException>(() => freeRider.QueryAsync(topic, "sorting the inbox"));
        for (var i = 0; i < 8; i++)
        {
            await contributor.QueryAsync(topic, "sorting the inbox");
        }

        var status = await contributor.GetMeAsync();

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
        Assert.Contains("free reads", refused.Message, StringComparison.Ordinal);
        Assert.Equal(10 - (13 - 3), status.Balance);
        Assert.Equal(13, status.Reads);
    }

    [PostgresFact]
    public async Task ReportOutcome_Unhelpful_LowersContributorsReputation()
    {
        const string topic = "t.outcome";
        var contributors = new List<(PoolClient Client, ContributorKey Key)>();
        for (var i = 0; i < 3; i++)
        {
            var member = await Pool.MemberAsync();
            contributors.Add(member);
            await member.Client.PublishAsync(Artifacts.Sign(member.Key, topic, "renewing a passport", "book the appointment a month ahead"));
        }

        var (reader, _) = await Pool.MemberAsync();
        var insight = Assert.Single(await reader.QueryAsync(topic, "renewing a passport"));

        var result = await reader.ReportOutcomeAsync(topic, insight.GroupId, helpful: false);
        var ownReport = await Assert.ThrowsAsync<PoolApiException>(() => contributors[0].Client.ReportOutcomeAsync(topic, insight.GroupId, helpful: true));

        Assert.Equal(3, result.ContributorsAffected);
        Assert.True((await contributors[0].Client.GetMeAsync()).Reputation < 0.5);
        Assert.Equal(HttpStatusCode.Conflict, ownReport.Status);
    }

    [PostgresFact]
    public async Task Digest_EveryWordingOfAServedGroupFromTheCursor_UntilReportsSinkItsContributors()
    {
        const string topic = "t.digest";
        var wordings = new[]
        {
            "scheduling a meeting with people in other time zones",
            "Scheduling a meeting with people in other time zones!",
            "setting up a meeting with colleagues in different time zones",
        };
        await PublishWordingsAsync(topic, "suggest two times and state both time zones", wordings);

        var (reader, _) = await Pool.MemberAsync();
        var first = await reader.DigestAsync(topic);
        var afterIt = await reader.DigestAsync(topic, after: first.Next);
        // Members whose trials of it went wrong report it: the pool stops counting its contributors once
        // it is 90% sure their words help less often than not, which two exact reports are not (87.5%).
        var (second, _) = await Pool.MemberAsync();
        var (third, _) = await Pool.MemberAsync();
        var groupId = first.Insights[0].GroupId;
        await reader.ReportOutcomeAsync(topic, groupId, helpful: false);
        await second.ReportOutcomeAsync(topic, groupId, helpful: false);
        // (The pool's free allowance is three reads a day; the second and third reporters read these.)
        var afterTwoReports = await second.DigestAsync(topic);
        await third.ReportOutcomeAsync(topic, groupId, helpful: false);
        var afterThreeReports = await third.DigestAsync(topic);

        // The first two differ only in case and punctuation: one wording. The third is its own.
        Assert.Equal(2, first.Insights.Count);
        Assert.All(first.Insights, i => Assert.Equal(groupId, i.GroupId));
        Assert.All(first.Insights, i => Assert.Equal(3, i.Contributors));
        Assert.Equal(2, first.Insights.Select(i => i.Situation).Distinct().Count());
        Assert.All(first.Insights, i => Assert.Contains(i.Situation, wordings));
        Assert.All(first.Insights, i => Assert.NotNull(PoolInbox.ToImport(i, "p")));
        Assert.Equal(2, first.Next);
        Assert.False(first.HasMore);
        Assert.Empty(afterIt.Insights);
        Assert.Equal(2, afterTwoReports.Insights.Count);
        Assert.Empty(afterThreeReports.Insights);
    }

    [PostgresFact]
    public async Task Report_RandomizedBitsAtEpsilonOne_CountForWhatTheySay_TwoFlippedBitsDoNotWithdraw()
    {
        const string topic = "t.wordings.randomized";
        const string common = "ordering groceries for the week on sunday";
        const string rider = "ordering groceries for this week on sunday";
        var authors = await PublishWordingsAsync(topic, "list what is left in the fridge first", common, common, common, rider);
        var reporters = new List<PoolClient>();
        for (var i = 0; i < 6; i++)
        {
            reporters.Add((await Pool.MemberAsync()).Client);
        }

        var riderId = PoolInbox.ToImport((await reporters[0].DigestAsync(topic)).Insights.Single(i => i.Situation == rider), "p")!.ArtifactId;

        // A bit through randomised response at epsilon 1 is flipped a quarter of the time: a few cannot
        // take an author out of service, though they move the reputation; six members saying so make the
        // pool 90% sure the author's words help less often than not.
        var reputations = new List<double>();
        var withdrawn = new List<bool>();
        foreach (var reporter in reporters)
        {
            await reporter.ReportOutcomeAsync(topic, riderId, helpful: false, epsilon: 1);
            reputations.Add((await authors[3].GetMeAsync()).Reputation);
            withdrawn.Add((await reporters[0].WithdrawnAsync(topic, [riderId])).Count == 1);
        }

        var badEpsilon = await Assert.ThrowsAsync<PoolApiException>(() => reporters[0].ReportOutcomeAsync(topic, riderId, helpful: false, epsilon: 0));

        // An exact report would leave 1/3 (Beta(1,1) and one failure); one at epsilon 1 says less: about 0.42.
        Assert.InRange(reputations[0], 0.41, 0.43);
        Assert.InRange(reputations[1], 0.34, 0.37);
        Assert.True(reputations[5] < 0.25, $"six independent bad reports sink the author ({reputations[5]:F3})");
        // (Five leave the pool 89.9% sure: the line is crossed at the sixth, so the fifth is not asserted.)
        Assert.Equal([false, false, false, false], withdrawn[..4]);
        Assert.True(withdrawn[5]);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badEpsilon.Status);
    }

    [PostgresFact]
    public async Task Report_ByAWordingsId_SinksItsAuthorAlone_AndThePoolWithdrawsOnlyThoseWords()
    {
        const string topic = "t.wordings.reported";
        const string common = "booking a table for eight people on friday";
        const string rider = "booking a table for eight people this friday";
        var authors = await PublishWordingsAsync(topic, "call the restaurant a day ahead", common, common, common, rider);
        var (reader, _) = await Pool.MemberAsync();
        var (second, _) = await Pool.MemberAsync();
        var before = await reader.DigestAsync(topic);
        var commonId = PoolInbox.ToImport(before.Insights.Single(i => i.Situation == common), "p")!.ArtifactId;
        var riderId = PoolInbox.ToImport(before.Insights.Single(i => i.Situation == rider), "p")!.ArtifactId;
        var withdrawnBefore = await reader.WithdrawnAsync(topic, [commonId, riderId, "no-such-group"]);

        // Three members whose trials of the rider's words went wrong report them by the id they staged them under.
        var firstReport = await reader.ReportOutcomeAsync(topic, riderId, helpful: false);
        await second.ReportOutcomeAsync(topic, riderId, helpful: false);
        await (await Pool.MemberAsync()).Client.ReportOutcomeAsync(topic, riderId, helpful: false);
        var after = await second.DigestAsync(topic);
        var withdrawnAfter = await reader.WithdrawnAsync(topic, [commonId, riderId]);
        var reputations = new List<double>();
        foreach (var author in authors)
        {
            reputations.Add((await author.GetMeAsync()).Reputation);
        }

        var tooMany = await Assert.ThrowsAsync<PoolApiException>(() => reader.WithdrawnAsync(topic, Enumerable.Repeat(commonId, WithdrawnRequest.MaxIds + 1).ToList()));
        // Words three members published are theirs together: a report on them reaches all three.
        var onCommon = await reader.ReportOutcomeAsync(topic, commonId, helpful: true);

        Assert.Equal(2, before.Insights.Count);
        // An id the pool cannot place is not called withdrawn: the member's own verification decides.
        Assert.Empty(withdrawnBefore);
        Assert.Equal(1, firstReport.ContributorsAffected);
        Assert.Equal([0.5, 0.5, 0.5], reputations.Take(3));
        Assert.True(reputations[3] < 0.25);
        // The group still has three reputable members behind it: it is served, without the rider's words,
        // and a member who staged those words hears that they were withdrawn.
        Assert.Equal(common, Assert.Single(after.Insights).Situation);
        Assert.Equal([riderId], withdrawnAfter);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Equal(3, onCommon.ContributorsAffected);
    }

    [PostgresFact]
    public async Task Feed_Member_IsForbidden_EvenWithCreditLeft()
    {
        var (client, key) = await Pool.MemberAsync();
        await client.PublishAsync(Artifacts.Sign(key, "t.feed.member", "a situation", "some advice"));

        var error = await Assert.ThrowsAsync<PoolApiException>(() => client.ReadFeedAsync("t.feed.member", 0, 100));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("peer", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Feed_Peer_GetsArtifactsBelowK_ButNotThoseOfAnAuthorWhoseReputationSank()
    {
        const string topic = "t.feed.withdrawn";
        const string table = "booking a table for eight people on friday";
        const string rider = "booking a table for eight people this friday";
        var (x, xKey) = await Pool.MemberAsync();
        await PublishWordingsAsync(topic, "call the restaurant a day ahead", table, table);
        await x.PublishAsync(Artifacts.Sign(xKey, topic, rider, "call the restaurant a day ahead"));
        var (lone, loneKey) = await Pool.MemberAsync();
        await lone.PublishAsync(Artifacts.Sign(loneKey, topic, "packing for a week of rain", "bring a light waterproof jacket"));
        var peer = await Pool.PeerAsync();
        var before = await peer.ReadFeedAsync(topic, 0, 100);
        var (reader, _) = await Pool.MemberAsync();
        var (second, _) = await Pool.MemberAsync();
        var riderId = PoolInbox.ToImport((await reader.DigestAsync(topic)).Insights.Single(i => i.Situation == rider), "p")!.ArtifactId;

        await reader.ReportOutcomeAsync(topic, riderId, helpful: false);
        await second.ReportOutcomeAsync(topic, riderId, helpful: false);
        await (await Pool.MemberAsync()).Client.ReportOutcomeAsync(topic, riderId, helpful: false);
        var after = await peer.ReadFeedAsync(topic, 0, 100);

        static List<string> Contributors(FeedPage page) => page.Items.Select(i => InsightArtifactParser.Parse(i.Json).Artifact!.Contributor).ToList();
        Assert.Equal(4, before.Items.Count);
        Assert.Contains(loneKey.KeyId, Contributors(before));
        Assert.Equal(3, after.Items.Count);
        Assert.DoesNotContain(xKey.KeyId, Contributors(after));
        Assert.Contains(loneKey.KeyId, Contributors(after));
        Assert.Equal(before.Next, after.Next);
    }

    [PostgresFact]
    public async Task Withdrawn_AContributorSinksThroughOneGroup_AnotherGroupItBacksIsWithdrawnAtOnce()
    {
        const string topic = "t.withdrawn.elsewhere";
        const string table = "booking a table for eight people on friday";
        const string rider = "booking a table for eight people this friday";
        const string rain = "packing for a week of rain";
        var (x, xKey) = await Pool.MemberAsync();
        await PublishWordingsAsync(topic, "call the restaurant a day ahead", table, table);
        await x.PublishAsync(Artifacts.Sign(xKey, topic, rider, "call the restaurant a day ahead"));
        await PublishWordingsAsync(topic, "bring a light waterproof jacket", rain, rain);
        await x.PublishAsync(Artifacts.Sign(xKey, topic, rain, "bring a light waterproof jacket", second: 1));
        var (reader, _) = await Pool.MemberAsync();
        var (second, _) = await Pool.MemberAsync();
        var digest = await reader.DigestAsync(topic);
        var riderId = PoolInbox.ToImport(digest.Insights.Single(i => i.Situation == rider), "p")!.ArtifactId;
        var rainId = PoolInbox.ToImport(digest.Insights.Single(i => i.Situation == rain), "p")!.ArtifactId;
        var servedBefore = await reader.WithdrawnAsync(topic, [rainId]);

        // x's words about the table fail three times: x sinks, and the rain group, which needs x for its k of 3,
        // is no longer served. Its served form was worked out before; it must not outlive the reports.
        await reader.ReportOutcomeAsync(topic, riderId, helpful: false);
        await second.ReportOutcomeAsync(topic, riderId, helpful: false);
        await (await Pool.MemberAsync()).Client.ReportOutcomeAsync(topic, riderId, helpful: false);
        var withdrawnAfter = await reader.WithdrawnAsync(topic, [rainId]);

        Assert.Empty(servedBefore);
        Assert.Equal([rainId], withdrawnAfter);
    }

    [PostgresFact]
    public async Task Publish_OutcomeArtifactsOnAWording_MoveItsAuthorsReputation_AndVouchForNothing()
    {
        const string topic = "t.outcome.artifacts";
        const string common = "planning a picnic for saturday afternoon";
        const string rider = "planning a picnic for this saturday afternoon";
        const string advice = "check the forecast the evening before";
        var authors = await PublishWordingsAsync(topic, advice, common, common, common, rider);
        var (reader, readerKey) = await Pool.MemberAsync();
        var (second, secondKey) = await Pool.MemberAsync();
        var before = await reader.DigestAsync(topic);

        // Three members' agents retired the rider's words after they failed them, and shared that through
        // their export pipelines: outcome artifacts in the insight's own words.
        var (third, thirdKey) = await Pool.MemberAsync();
        await reader.PublishAsync(Artifacts.Sign(readerKey, topic, rider, advice, successes: 0, failures: 6, kind: InsightKind.Outcome));
        await second.PublishAsync(Artifacts.Sign(secondKey, topic, rider, advice, successes: 1, failures: 7, kind: InsightKind.Outcome));
        await third.PublishAsync(Artifacts.Sign(thirdKey, topic, rider, advice, successes: 0, failures: 3, kind: InsightKind.Outcome));
        var after = await second.DigestAsync(topic);
        var reputations = new List<double>();
        foreach (var author in authors)
        {
            reputations.Add((await author.GetMeAsync()).Reputation);
        }

        Assert.Equal(2, before.Insights.Count);
        Assert.Equal([0.5, 0.5, 0.5], reputations.Take(3));
        Assert.True(reputations[3] < 0.3);
        // The reports are no contributions: the group is still the four members who published it.
        var served = Assert.Single(after.Insights);
        Assert.Equal(common, served.Situation);
        Assert.Equal(4, served.Contributors);
    }

    [PostgresFact]
    public async Task Pull_ServedGroup_IsStagedOnceAndTheCursorRemembersIt()
    {
        const string topic = "t.pull";
        await PublishWordingsAsync(topic, "bring a light waterproof jacket", "packing for a week of rain", "Packing for a week of rain!", "packing for a rainy week");

        var (reader, _) = await Pool.MemberAsync();
        var staged = new List<Abstractions.Learning.ImportedInsight>();
        Task Stage(IReadOnlyList<Abstractions.Learning.ImportedInsight> imports)
        {
            staged.AddRange(imports);
            return Task.CompletedTask;
        }

        var first = await PoolInbox.PullAsync(reader, "test-pool", [topic, "t.pull.empty"], null, Stage);
        var again = await PoolInbox.PullAsync(reader, "test-pool", [topic], first.Cursors, Stage);

        // "packing for a week of rain" twice (case and punctuation aside) is one wording; the third is another.
        Assert.Equal(2, staged.Count);
        Assert.Equal(2, staged.Select(i => i.ArtifactId).Distinct().Count());
        var import = staged[0];
        Assert.Equal(2, first.Staged);
        Assert.Equal(0, first.Refused);
        Assert.Equal(0, again.Staged);
        Assert.Equal(2, first.Cursors[topic]);
        Assert.Equal("bring a light waterproof jacket", import.Advice);
        Assert.Equal("test-pool", import.Pool);
        Assert.Equal(topic, import.Topic);
        Assert.StartsWith("packing for a", import.Situation, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public async Task Pull_InsightWhoseTextDiffersFromItsSignedArtifact_IsRefused()
    {
        const string topic = "t.pull.tampered";
        await PublishWordingsAsync(topic, "ask what they enjoy outside work", "choosing a gift for a colleague", "Choosing a gift for a colleague!", "choosing a present for a colleague");

        var (reader, _) = await Pool.MemberAsync();
        var served = (await reader.DigestAsync(topic)).Insights[0];

        Assert.NotNull(PoolInbox.ToImport(served, "p"));
        // A relay (or the pool) that rewrites the advice cannot pass it off as the contributor's.
        Assert.Null(PoolInbox.ToImport(served with { Advice = "send them your bank details" }, "p"));
        Assert.Null(PoolInbox.ToImport(served with { ArtifactJson = served.ArtifactJson.Replace("colleague", "coworker", StringComparison.Ordinal) }, "p"));
    }

    [PostgresFact]
    public async Task Query_ParaphrasesFromDifferentMembers_AreOneGroup()
    {
        const string topic = "t.paraphrase";
        var texts = new[]
        {
            ("scheduling a meeting with people in other time zones", "suggest two times and state both time zones"),
            ("Scheduling a meeting with people in other time zones!", "Suggest two times, and state both time zones."),
            ("setting up a meeting with colleagues in different time zones", "offer two time slots and mention both time zones"),
            ("watering the plants while on holiday", "ask a neighbour to water them twice a week"),
        };
        foreach (var (situation, advice) in texts)
        {
            var (client, key) = await Pool.MemberAsync();
            await client.PublishAsync(Artifacts.Sign(key, topic, situation, advice));
        }

        var (reader, _) = await Pool.MemberAsync();
        var insights = await reader.QueryAsync(topic, "arranging a call across time zones");

        var insight = Assert.Single(insights);
        Assert.Equal(3, insight.Contributors);
    }

    [PostgresFact]
    public async Task Query_TextsAlreadyEmbeddedForAnotherTopic_AreStillGrouped()
    {
        // The silo's embedding cache is shared by every topic shard: the second topic's first
        // grouping finds all its texts cached and finishes at once, which once left it never
        // grouping again.
        var texts = new[]
        {
            ("scheduling a meeting with people in other time zones", "suggest two times and state both time zones"),
            ("Scheduling a meeting with people in other time zones!", "Suggest two times, and state both time zones."),
            ("setting up a meeting with colleagues in different time zones", "offer two time slots and mention both time zones"),
        };
        var (reader, _) = await Pool.MemberAsync();
        foreach (var topic in new[] { "t.cached.first", "t.cached.second" })
        {
            foreach (var (situation, advice) in texts)
            {
                var (client, key) = await Pool.MemberAsync();
                await client.PublishAsync(Artifacts.Sign(key, topic, situation, advice));
            }

            // A query waits for the topic's grouping, so the first topic's texts are embedded
            // (and cached) before the second topic receives the same texts.
            await reader.QueryAsync(topic, "arranging a call across time zones");
        }

        var insights = await reader.QueryAsync("t.cached.second", "arranging a call across time zones");

        var insight = Assert.Single(insights);
        Assert.Equal(3, insight.Contributors);
    }

    [PostgresFact]
    public async Task Policy_IsReadableWithoutSigning()
    {
        var policy = await Pool.AdminClient().GetPolicyAsync();

        Assert.Equal(Pool.Admin.KeyId, policy.AdminKey);
        Assert.Equal(3, policy.K);
    }
}
