using System.Globalization;
using System.Text.Json;
using Commons.Community.Pooling;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Commons.Community.Http;

/// <summary>
/// The pool HTTP API (v1). Every request but the policy and the health check is signed by a member
/// key; publishing returns a receipt only once the artifact is durable in the pool's database.
/// </summary>
public static class PoolApi
{
    private const int MaxFeedPage = 1000;

    public static IEndpointRouteBuilder MapPoolApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(PoolWire.Health, () => Results.Text("ok"));
        endpoints.MapGet(PoolWire.Policy, (IOptions<PoolOptions> options) => PoolResults.Ok(Describe(options.Value)));
        endpoints.MapPost(PoolWire.Join, JoinAsync);
        endpoints.MapPost(PoolWire.Artifacts, PublishAsync);
        endpoints.MapPost(PoolWire.Query, QueryAsync);
        endpoints.MapPost(PoolWire.Digest, DigestAsync);
        endpoints.MapPost(PoolWire.Outcomes, OutcomeAsync);
        endpoints.MapPost(PoolWire.Withdrawn, WithdrawnAsync);
        endpoints.MapGet(PoolWire.Me, MeAsync);
        endpoints.MapGet(PoolWire.Topics, TopicsAsync);
        endpoints.MapGet(PoolWire.Feed, FeedAsync);
        endpoints.MapPost(PoolWire.Peers, AddPeerAsync);
        return endpoints;
    }

    /// <summary>The policy as members see it.</summary>
    public static PoolPolicyInfo Describe(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PoolPolicyInfo(options.Name, options.AdminKey, options.K, options.CapPerContributor, options.TrimFraction,
            options.Aggregation, options.FreeReadsPerDay, options.CreditPerContribution, options.ReadCost, options.SimilarityThreshold);
    }

    /// <summary>The ledger terms of the policy.</summary>
    public static LedgerPolicy Ledger(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LedgerPolicy(options.CreditPerContribution, options.ReadCost, options.FreeReadsPerDay);
    }

    private static async Task<IResult> JoinAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        if (signed is null)
        {
            return error!;
        }

        var join = Deserialize<JoinRequest>(signed.Body);
        if (join is null || string.IsNullOrWhiteSpace(join.Invite))
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The body must be {\"invite\": \"commons-invite/v1....\"}.");
        }

        var invite = InviteToken.TryRead(join.Invite.Trim(), out var reason);
        if (invite is null)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, reason);
        }

        if (invite.PoolKey != options.Value.AdminKey)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, "The invite was not signed by this pool's admin key.");
        }

        if (invite.Expires <= time.GetUtcNow())
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, string.Create(CultureInfo.InvariantCulture, $"The invite expired at {invite.Expires:u}."));
        }

        if (!await grains.GetGrain<IInviteGrain>(invite.Id).RedeemAsync(signed.Key, invite.Uses))
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, "The invite has been used up.");
        }

        var status = await grains.GetGrain<IContributorGrain>(signed.Key).AdmitAsync(invite.Id);
        await members.AddAsync(signed.Key, invite.Peer, context.RequestAborted);
        return PoolResults.Ok(status);
    }

    private static async Task<IResult> PublishAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        var parsed = InsightArtifactParser.Parse(signed.Body, time.GetUtcNow());
        if (!parsed.IsValid)
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, parsed.Reason, parsed.Rejection.ToString());
        }

        var artifact = parsed.Artifact;
        if (artifact.Contributor != signed.Key)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, "The artifact's contributor is not the key that signed the request; members publish only their own artifacts.");
        }

        var pooled = PooledArtifacts.From(artifact, artifact.ToJson(), null);
        var receipt = await grains.GetGrain<IInsightPoolGrain>(artifact.Topic).PublishAsync(pooled);
        if (!receipt.Duplicate)
        {
            await grains.GetGrain<IContributorGrain>(signed.Key).RecordContributionsAsync(1, Ledger(options.Value));
        }

        return PoolResults.Ok(receipt);
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        var query = Deserialize<QueryRequest>(signed.Body);
        if (query is null || !IsTopic(query.Topic) || string.IsNullOrWhiteSpace(query.Situation) || query.Situation.Length > InsightLimits.MaxSituationLength)
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, $"The body must be {{\"topic\", \"situation\", \"max\"}} with a valid topic and a situation of at most {InsightLimits.MaxSituationLength} characters.");
        }

        var decision = await grains.GetGrain<IContributorGrain>(signed.Key).TrySpendReadAsync(Ledger(options.Value));
        if (!decision.Allowed)
        {
            return PoolResults.Error(StatusCodes.Status402PaymentRequired, decision.Reason ?? "No credit left.");
        }

        var insights = await grains.GetGrain<IInsightPoolGrain>(query.Topic).QueryAsync(query.Situation, Math.Clamp(query.Max, 1, 50));
        return PoolResults.Ok(insights);
    }

    private static async Task<IResult> DigestAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        var page = Deserialize<DigestRequest>(signed.Body);
        if (page is null || !IsTopic(page.Topic) || page.After < 0)
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The body must be {\"topic\", \"after\", \"max\"} with a valid topic and a cursor of at least 0.");
        }

        var decision = await grains.GetGrain<IContributorGrain>(signed.Key).TrySpendReadAsync(Ledger(options.Value));
        if (!decision.Allowed)
        {
            return PoolResults.Error(StatusCodes.Status402PaymentRequired, decision.Reason ?? "No credit left.");
        }

        var insights = await grains.GetGrain<IInsightPoolGrain>(page.Topic).DigestAsync(page.After, Math.Clamp(page.Max, 1, DigestRequest.PageSize));
        return PoolResults.Ok(insights);
    }

    private static async Task<IResult> WithdrawnAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        var request = Deserialize<WithdrawnRequest>(signed.Body);
        if (request?.Ids is null || !IsTopic(request.Topic) || request.Ids.Count > WithdrawnRequest.MaxIds || request.Ids.Any(string.IsNullOrWhiteSpace))
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, $"The body must be {{\"topic\", \"ids\"}} with a valid topic and at most {WithdrawnRequest.MaxIds} ids.");
        }

        // No read is spent: what a pool has withdrawn is safety information for whoever holds it.
        return PoolResults.Ok(new WithdrawnList(await grains.GetGrain<IInsightPoolGrain>(request.Topic).WithdrawnAsync(request.Ids)));
    }

    private static async Task<IResult> OutcomeAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        var report = Deserialize<OutcomeRequest>(signed.Body);
        if (report is null || !IsTopic(report.Topic) || string.IsNullOrWhiteSpace(report.GroupId))
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The body must be {\"topic\", \"groupId\", \"helpful\"}.");
        }

        var result = await grains.GetGrain<IInsightPoolGrain>(report.Topic).ReportOutcomeAsync(signed.Key, report.GroupId, report.Helpful);
        return result.Applied ? PoolResults.Ok(result) : PoolResults.Error(StatusCodes.Status409Conflict, result.Reason ?? "The report was not applied.");
    }

    private static async Task<IResult> MeAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        if (signed is null)
        {
            return error!;
        }

        // A key that was never admitted is answered from the directory: no contributor grain (and its
        // flush timer) is activated for it.
        if (!await members.IsMemberAsync(signed.Key, context.RequestAborted))
        {
            return PoolResults.Ok(new MemberStatus(signed.Key, false, null, 0, 0, 0, 0, 0, 0.5, 0));
        }

        if (signed.RefuseReplay(context, context.RequestServices.GetRequiredService<ReplayCache>()) is { } replayed)
        {
            return replayed;
        }

        return PoolResults.Ok(await grains.GetGrain<IContributorGrain>(signed.Key).GetStatusAsync(Ledger(options.Value)));
    }

    private static async Task<IResult> TopicsAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        return PoolResults.Ok(new TopicList(await grains.GetGrain<IPoolDirectoryGrain>(0).ListTopicsAsync()));
    }

    private static async Task<IResult> FeedAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time, MemberCache members)
    {
        var (signed, error) = await MemberRequestAsync(context, grains, options.Value, time, members);
        if (signed is null)
        {
            return error!;
        }

        // The feed is every artifact of the log, below k too: for peer pools (which apply k themselves),
        // not for members, who read through query and digest and pay for it.
        if (!await members.IsPeerAsync(signed.Key, context.RequestAborted))
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, "The feed is only for peer pools (admitted with a peer invite from this pool's admin); members read through query and digest.");
        }

        var query = context.Request.Query;
        var topic = query["topic"].ToString();
        if (!IsTopic(topic)
            || !long.TryParse(query["after"].FirstOrDefault() ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            || !int.TryParse(query["max"].FirstOrDefault() ?? "256", NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The feed needs ?topic=T&after=N&max=M (whole numbers).");
        }

        return PoolResults.Ok(await grains.GetGrain<IInsightPoolGrain>(topic).ReadFeedAsync(after, Math.Clamp(max, 1, MaxFeedPage)));
    }

    private static async Task<IResult> AddPeerAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        if (signed is null)
        {
            return error!;
        }

        if (signed.Key != options.Value.AdminKey)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, "Only the pool's admin key may add peers.");
        }

        var add = Deserialize<PeerAddRequest>(signed.Body);
        if (add is null || !Uri.TryCreate(add.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrWhiteSpace(add.Invite))
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The body must be {\"url\": \"http(s)://...\", \"invite\": \"...\"}.");
        }

        var peerUrl = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var peer = grains.GetGrain<IPeerGrain>(peerUrl);
        var status = await peer.JoinAsync(add.Invite.Trim());
        if (!status.Joined)
        {
            return PoolResults.Error(StatusCodes.Status502BadGateway, $"The peer {peerUrl} did not admit this pool: {status.LastError}");
        }

        await grains.GetGrain<IPoolDirectoryGrain>(0).AddPeerAsync(peerUrl);
        return PoolResults.Ok(await peer.SyncAsync());
    }

    private static async Task<(SignedRequest? Request, IResult? Error)> MemberRequestAsync(
        HttpContext context, IGrainFactory grains, PoolOptions options, TimeProvider time, MemberCache members)
    {
        var replays = context.RequestServices.GetRequiredService<ReplayCache>();
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        if (signed is null)
        {
            return (null, error);
        }

        // The directory, not the contributor grain: a refused key must not activate a grain.
        if (!await members.IsMemberAsync(signed.Key, context.RequestAborted))
        {
            return (null, PoolResults.Error(StatusCodes.Status403Forbidden, "This key is not a member of the pool; join with an invite first."));
        }

        // After the membership check, so that only members' requests take room in the cache.
        return signed.RefuseReplay(context, replays) is { } replayed ? (null, replayed) : (signed, null);
    }

    private static bool IsTopic(string? topic) => InsightLimits.IsValidTopic(topic);

    private static T? Deserialize<T>(byte[] body)
        where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, PoolClient.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
