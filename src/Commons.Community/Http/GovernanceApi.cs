using System.Globalization;
using Commons.Community.Service;
using Commons.Pools.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Community.Http;

/// <summary>
/// The pool's governance endpoints: members' reports, the audit log members read, the admin's
/// moderation, a member's erasure, and the withdrawals peers apply. They verify and translate only;
/// the rules are in <see cref="PoolModeration"/> and <see cref="PoolErasure"/>.
/// </summary>
public static class GovernanceApi
{
    public static IEndpointRouteBuilder MapGovernanceApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(PoolWire.Reports, ReportAsync);
        endpoints.MapGet(PoolWire.Audit, AuditAsync);
        endpoints.MapPost(PoolWire.Moderation, ModerateAsync);
        endpoints.MapPost(PoolWire.Forget, ForgetAsync);
        endpoints.MapGet(PoolWire.Withdrawals, WithdrawalsAsync);
        return endpoints;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, PoolService pool, PoolModeration moderation, TimeProvider time)
    {
        var (signed, error) = await PoolApi.MemberRequestAsync(context, pool, time);
        return signed is null ? error! : PoolApi.Translate(await moderation.ReportAsync(signed.Key, PoolApi.Deserialize<ReportRequest>(signed.Body)));
    }

    private static async Task<IResult> AuditAsync(HttpContext context, PoolService pool, PoolModeration moderation, TimeProvider time)
    {
        var (signed, error) = await PoolApi.MemberRequestAsync(context, pool, time);
        if (signed is null)
        {
            return error!;
        }

        return TryCursor(context, out var after, out var max)
            ? PoolResults.Ok(await moderation.ReadAuditAsync(after, max))
            : PoolResults.Error(StatusCodes.Status400BadRequest, "The audit log needs ?after=N&max=M (whole numbers).");
    }

    private static async Task<IResult> ModerateAsync(HttpContext context, PoolModeration moderation, TimeProvider time)
    {
        var (signed, error) = await SignedRequest.ReadAsync(context, time);
        return signed is null ? error! : PoolApi.Translate(await moderation.ModerateAsync(signed.Key, PoolApi.Deserialize<ModerationRequest>(signed.Body)));
    }

    private static async Task<IResult> ForgetAsync(HttpContext context, PoolService pool, PoolErasure erasure, TimeProvider time)
    {
        var (signed, error) = await PoolApi.MemberRequestAsync(context, pool, time);
        return signed is null ? error! : PoolApi.Translate(await erasure.ForgetAsync(signed.Key, signed.Body));
    }

    private static async Task<IResult> WithdrawalsAsync(HttpContext context, PoolService pool, PoolErasure erasure, TimeProvider time)
    {
        var (signed, error) = await PoolApi.MemberRequestAsync(context, pool, time);
        if (signed is null)
        {
            return error!;
        }

        if (await pool.RefuseNonPeerAsync(signed.Key) is { } notPeer)
        {
            return PoolResults.Error(StatusCodes.Status403Forbidden, notPeer);
        }

        return TryCursor(context, out var after, out var max)
            ? PoolResults.Ok(await erasure.ReadWithdrawalsAsync(after, max))
            : PoolResults.Error(StatusCodes.Status400BadRequest, "The withdrawals need ?after=N&max=M (whole numbers).");
    }

    private static bool TryCursor(HttpContext context, out long after, out int max)
    {
        var query = context.Request.Query;
        max = 0;
        return long.TryParse(query["after"].FirstOrDefault() ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out after)
            & int.TryParse(query["max"].FirstOrDefault() ?? "100", NumberStyles.None, CultureInfo.InvariantCulture, out max);
    }
}
