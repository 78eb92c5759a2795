using Commons.Abstractions.Agents;
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

        api.MapPost("/markdown", (MarkdownRequest request) => request.Text is null
            ? WebJson.Error("Send the text to render as {\"text\": \"...\"}.")
            : WebJson.Ok(new { html = MarkdownRenderer.ToHtml(request.Text) }));
    }

    private static async Task<IEnumerable<TurnView>> TurnsAsync(IPersonalAgentGrain agent) =>
        (await agent.GetCurrentTurnsAsync()).Select(t => new TurnView(t.UserMessage, t.Reply, MarkdownRenderer.ToHtml(t.Reply), t.At, t.Interrupted, t.EpisodeId));

    internal sealed record MarkdownRequest(string? Text);

    internal sealed record TurnView(string Message, string Reply, string ReplyHtml, DateTimeOffset At, bool Interrupted, string? EpisodeId);
}
