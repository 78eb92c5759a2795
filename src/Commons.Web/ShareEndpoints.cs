using System.Text;
using Commons.Abstractions.Sharing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Web;

/// <summary>
/// Share review: what waits for approval, with exactly the bytes that would leave for each pool; approve
/// or deny; the outbox; the privacy budget spent today. The outbox grain holds every rule.
/// </summary>
internal static class ShareEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/share", async () =>
        {
            var outbox = personal.Outbox;
            var summary = await outbox.GetSummaryAsync();
            var awaiting = (await outbox.ListAwaitingApprovalAsync()).Select(ItemView.From);
            var ready = (await outbox.ListOutboxAsync()).Select(ItemView.From);
            return WebJson.Ok(new { summary, awaiting, outbox = ready });
        });

        // Running the pipeline spends privacy budget: a POST, as every change is.
        api.MapPost("/share/prepare", async () =>
        {
            var preparation = await personal.Outbox.PrepareAsync();
            return preparation.Refusals.FirstOrDefault(r => r.Source == "*") is { } total
                ? WebJson.Error(total.Reason)
                : WebJson.Ok(new { preparation.Candidates, preparation.ReportsQueued, queued = preparation.Queued.Select(ItemView.From), preparation.Refusals });
        });

        api.MapPost("/share/{id}/{decision}", async (string id, string decision) =>
        {
            var outbox = personal.Outbox;
            ShareDecision? result = decision switch
            {
                "approve" => await outbox.ApproveAsync(id),
                "deny" => await outbox.DenyAsync(id),
                _ => null,
            };
            return result switch
            {
                null => WebJson.Error("Decide with approve or deny.", StatusCodes.Status404NotFound),
                { Applied: true } => WebJson.Ok(new { result.Message, item = result.Item is null ? null : ItemView.From(result.Item) }),
                _ => WebJson.Error(result.Message),
            };
        });
    }

    /// <summary>An artifact with the bytes that leave for each pool (one copy signed with the contributor key when no pool is joined).</summary>
    internal sealed record ItemView(string Id, string Kind, string Topic, string Source, string Note, ShareItemState State, bool Automatic, DateTimeOffset Prepared, IReadOnlyList<CopyView> Copies)
    {
        public static ItemView From(ShareItem item) => new(
            item.Id, item.Kind, item.Topic, item.Source, item.Note, item.State, item.Automatic, item.Prepared,
            item.Copies is { Count: > 0 } copies
                ? copies.Select(c => new CopyView(c.Pool, c.Json, Encoding.UTF8.GetByteCount(c.Json), c.State.ToString(), c.Reason)).ToList()
                : [new CopyView(null, item.Json, Encoding.UTF8.GetByteCount(item.Json), null, null)]);
    }

    /// <summary>Exactly the bytes for one pool (<see cref="Pool"/> null: no pool joined yet, signed with the contributor key).</summary>
    internal sealed record CopyView(string? Pool, string Json, int Bytes, string? State, string? Reason);
}
