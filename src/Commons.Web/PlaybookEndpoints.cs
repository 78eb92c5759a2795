using Commons.Abstractions.Learning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Web;

/// <summary>The playbook (view, add, edit, retire) and the imported insights with the reasons they were adopted or rejected.</summary>
internal static class PlaybookEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/playbook", async (bool? retired) =>
            WebJson.Ok((await personal.Playbook.ListEntriesAsync(retired ?? false)).Select(EntryView.From)));

        api.MapPost("/playbook", async (EntryRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Situation) || (string.IsNullOrWhiteSpace(request.Advice) && string.IsNullOrWhiteSpace(request.Action)))
            {
                return WebJson.Error("An entry needs a situation (when) and advice or an action (do).");
            }

            var entry = await personal.Playbook.AddEntryAsync(request.Situation.Trim(), request.Advice?.Trim() ?? "", Blank(request.Action));
            return WebJson.Ok(EntryView.From(entry));
        });

        api.MapPut("/playbook/{id}", async (string id, EntryRequest request) =>
        {
            if (request.Advice is null && request.Action is null)
            {
                return WebJson.Error("Say what changes: advice, action or both.");
            }

            return await personal.Playbook.EditEntryAsync(id, request.Advice?.Trim(), Blank(request.Action))
                ? WebJson.Ok(EntryView.From((await personal.Playbook.GetEntryAsync(id))!))
                : WebJson.Error($"There is no active entry {id}.", StatusCodes.Status404NotFound);
        });

        api.MapPost("/playbook/{id}/retire", async (string id) =>
            await personal.Playbook.RetireEntryAsync(id)
                ? WebJson.Ok(new { retired = id })
                : WebJson.Error($"There is no active entry {id}.", StatusCodes.Status404NotFound));

        api.MapGet("/insights", async () =>
        {
            var reviews = await personal.Playbook.ListImportReviewsAsync();
            var views = new List<InsightView>();
            foreach (var review in reviews.Reverse())
            {
                var entry = review.EntryId.StartsWith('e') ? await personal.Playbook.GetEntryAsync(review.EntryId) : null;
                views.Add(new InsightView(review, entry is null ? null : EntryView.From(entry)));
            }

            return WebJson.Ok(views);
        });

        api.MapPost("/insights/{id}/{decision}", async (string id, string decision) =>
        {
            if (decision is not ("adopt" or "reject"))
            {
                return WebJson.Error("Decide with adopt or reject.", StatusCodes.Status404NotFound);
            }

            var result = await personal.Playbook.OverrideImportAsync(id, decision == "adopt");
            return result.Applied ? WebJson.Ok(result) : WebJson.Error(result.Message);
        });
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal sealed record EntryRequest(string? Situation, string? Advice, string? Action);

    internal sealed record InsightView(ImportReview Review, EntryView? Entry);

    internal sealed record EntryView(
        string Id, string Situation, string Advice, string? Action, double Successes, double Failures, double Mean,
        EntryOrigin Origin, EntryStatus Status, int Uses, string? Source, string? Note, DateTimeOffset Updated)
    {
        public static EntryView From(PlaybookEntry e) =>
            new(e.Id, e.Situation, e.Advice, e.Action, e.Successes, e.Failures, e.Mean, e.Origin, e.Status, e.Uses, e.Source, e.Note, e.Updated);
    }
}
