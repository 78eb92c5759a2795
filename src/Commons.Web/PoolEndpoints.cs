using Commons.Personal.Pools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Web;

/// <summary>The pools joined: what went each way, how the last sync went, and a sync now (the background worker's <see cref="PoolSync"/>).</summary>
internal static class PoolEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/pools", async () =>
        {
            var owner = personal.Owner;
            var summary = await personal.Outbox.GetSummaryAsync();
            return WebJson.Ok(Views(personal, owner, summary.Pools ?? []));
        });

        api.MapPost("/pools/sync", async (CancellationToken cancellationToken) =>
        {
            var owner = personal.Owner;
            if (personal.Memberships.List(owner).Count == 0)
            {
                return WebJson.Error("No pool is joined yet (commons pool join URL --invite TOKEN).");
            }

            await personal.PoolSync.SyncAsync(owner, PoolSyncSteps.All, cancellationToken: cancellationToken);
            var summary = await personal.Outbox.GetSummaryAsync();
            return WebJson.Ok(Views(personal, owner, summary.Pools ?? []));
        });
    }

    private static object Views(PersonalServices personal, string owner, IReadOnlyList<Abstractions.Sharing.PoolDeliveryCount> counts)
    {
        var last = personal.PoolSync.LastRun(owner);
        var pools = personal.Memberships.List(owner).Select(m =>
        {
            var count = counts.FirstOrDefault(c => c.Pool == m.Url);
            var result = last?.Results.FirstOrDefault(r => r.Pool == m.Url);
            return new PoolView(m.Url, m.JoinedAt, count?.Delivered ?? 0, count?.Waiting ?? 0, count?.Refused ?? 0, count?.ReportsSent ?? 0, m.Received,
                personal.PoolSync.SessionTotals(owner, m.Url)?.Staged ?? 0, result?.Problem);
        });
        return new { pools, lastSync = last?.Ended };
    }

    internal sealed record PoolView(string Url, DateTimeOffset Joined, int Sent, int Waiting, int Refused, int ReportsSent, long Received, int StagedThisSession, string? Problem);
}
