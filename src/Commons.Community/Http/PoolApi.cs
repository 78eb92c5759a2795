using System.Globalization;
using System.Text.Json;
using Commons.Community.Pooling;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Service;
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
    private const int MaxTopicPage = 1000;

    public static IEndpointRouteBuilder MapPoolApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(PoolWire.Health, () => Results.Text("ok"));
        endpoints.MapGet(PoolWire.Policy, (IOptions<PoolOptions> options, PoolGovernance governance) => PoolResults.Ok(Describe(options.Value) with { Governance = governance.Published }));
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

    private static async Task<IResult> JoinAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.JoinAsync(signed.Key, Deserialize<JoinRequest>(signed.Body)?.Invite));
    }

    private static async Task<IResult> PublishAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.PublishAsync(signed.Key, signed.Body));
    }

    private static async Task<IResult> QueryAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.QueryAsync(signed.Key, Deserialize<QueryRequest>(signed.Body)));
    }

    private static async Task<IResult> DigestAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.DigestAsync(signed.Key, Deserialize<DigestRequest>(signed.Body)));
    }

    private static async Task<IResult> WithdrawnAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.WithdrawnAsync(signed.Key, Deserialize<WithdrawnRequest>(signed.Body)));
    }

    private static async Task<IResult> OutcomeAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : Translate(await pool.ReportOutcomeAsync(signed.Key, Deserialize<OutcomeRequest>(signed.Body)));
    }

    private static async Task<IResult> MeAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : PoolResults.Ok(await pool.StatusAsync(signed.Key));
    }

    private static async Task<IResult> TopicsAsync(HttpContext context, TopicDirectory topics, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await MemberRequestAsync(context, pool, time);
        if (signed is null)
        {
            return error!;
        }

        var query = context.Request.Query;
        var after = query["after"].FirstOrDefault();
        if (!int.TryParse(query["max"].FirstOrDefault() ?? "500", NumberStyles.None, CultureInfo.InvariantCulture, out var max) || after is { Length: > InsightLimits.MaxTopicLength })
        {
            return PoolResults.Error(StatusCodes.Status400BadRequest, "The topic list takes ?after=TOPIC&max=N (a whole number).");
        }

        var (page, more) = await topics.ListAsync(after, Math.Clamp(max, 1, MaxTopicPage));
        return PoolResults.Ok(new TopicList(page, more ? page[^1] : null));
    }

    private static async Task<IResult> FeedAsync(HttpContext context, IGrainFactory grains, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await MemberRequestAsync(context, pool, time);
        if (signed is null)
        {
            return error!;
        }

        if (await pool.RefuseNonPeerAsync(signed.Key) is { } notPeer)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, notPeer);
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

    private static async Task<IResult> AddPeerAsync(HttpContext context, IGrainFactory grains, IOptions<PoolOptions> options, PoolModeration moderation, TimeProvider time)
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
        await moderation.RecordAdminActionAsync(signed.Key, "peer-add", peerUrl, "this pool now replicates the peer's signed artifacts and applies its withdrawals");
        return PoolResults.Ok(await peer.SyncAsync());
    }

    internal static async Task<(SignedRequest? Request, IResult? Error)> MemberRequestAsync(HttpContext context, PoolService pool, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        if (signed is null)
        {
            return (null, error);
        }

        return await pool.RefuseNonMemberAsync(signed.Key) is { } refusal
            ? (null, PoolResults.Error(StatusCodes.Status403Forbidden, refusal))
            : (signed, null);
    }

    internal static IResult Translate<T>(PoolAnswer<T> answer) =>
        answer.IsOk ? PoolResults.Ok(answer.Value) : PoolResults.Error(answer.Status, answer.Error!, answer.Rejection);

    private static bool IsTopic(string? topic) => InsightLimits.IsValidTopic(topic);

    internal static T? Deserialize<T>(byte[] body)
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
