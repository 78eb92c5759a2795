using Commons.Abstractions.Agents;
using Commons.Abstractions.Learning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Web;

/// <summary>The conversation list, the turns of one conversation, and Markdown for replies that finished streaming.</summary>
internal static class ConversationEndpoints
{
    public static void Map(RouteGroupBuilder api, PersonalServices personal)
    {
        api.MapGet("/conversations", async () =>
        {
            var conversations = await personal.Agent.ListConversationsAsync();
            return WebJson.Ok(conversations.Reverse());
        });

        api.MapPost("/conversations", async () => WebJson.Ok(await personal.Agent.NewConversationAsync()));

        api.MapPost("/conversations/{id}/open", async (string id) =>
            await personal.Agent.OpenConversationAsync(id)
                ? WebJson.Ok(await TurnsAsync(personal.Agent))
                : WebJson.Error($"There is no conversation {id}.", StatusCodes.Status404NotFound));

        api.MapGet("/conversations/current", async () => WebJson.Ok(await TurnsAsync(personal.Agent)));

        // Feedback on any reply of the list, named by its conversation and position (a reply that just
        // streamed is named by its completion id, through POST /api/feedback).
        api.MapPost("/conversations/{id}/turns/{index:int}/feedback", async (string id, int index, FeedbackRequest request) =>
        {
            var feedback = request.Kind switch
            {
                "good" => new Feedback(FeedbackKind.Good),
                "bad" => new Feedback(FeedbackKind.Bad),
                "fix" when !string.IsNullOrWhiteSpace(request.Text) => new Feedback(FeedbackKind.Fix, request.Text.Trim()),
                _ => null,
            };
            if (feedback is null)
            {
                return WebJson.Error("Feedback is good, bad, or fix with the text of what should have happened.");
            }

            var outcome = await personal.Agent.FeedbackOnTurnAsync(new TurnReference(id, index), feedback);
            return outcome.Applied
                ? WebJson.Ok(new { applied = true, entryId = outcome.EntryId })
                : WebJson.Error("Nothing to credit on that reply: learning was off for it, or feedback was already given.", StatusCodes.Status409Conflict);
        });

        api.MapPost("/markdown", (MarkdownRequest request) => request.Text is null
            ? WebJson.Error("Send the text to render as {\"text\": \"...\"}.")
            : WebJson.Ok(new { html = MarkdownRenderer.ToHtml(request.Text) }));
    }

    private static async Task<object> TurnsAsync(IPersonalAgentGrain agent)
    {
        var current = (await agent.ListConversationsAsync()).FirstOrDefault(c => c.IsCurrent);
        var turns = (await agent.GetCurrentTurnsAsync())
            .Select((t, i) => new TurnView(i, t.UserMessage, t.Reply, MarkdownRenderer.ToHtml(t.Reply), t.At, t.Interrupted, t.EpisodeId is not null));
        return new { conversation = current?.Id, turns };
    }

    internal sealed record FeedbackRequest(string? Kind, string? Text);

    internal sealed record MarkdownRequest(string? Text);

    internal sealed record TurnView(int Index, string Message, string Reply, string ReplyHtml, DateTimeOffset At, bool Interrupted, bool Learned);
}
