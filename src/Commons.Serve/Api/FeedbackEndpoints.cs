using System.Text.Json.Serialization;
using Commons.Abstractions.Learning;
using Commons.Personal.Hosting;
using Commons.Serve.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Serve.Api;

/// <summary>
/// <c>POST /api/feedback</c>: good, bad or a fix on a reply, named by its completion id (OpenAI has no
/// feedback endpoint). The agent credits what the reply used; a fix becomes a playbook entry.
/// </summary>
public static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, PersonalSilo silo)
    {
        var body = await JsonBody.ReadAsync<FeedbackRequest>(context).ConfigureAwait(false);
        if (!CompletionIds.TryParse(body.Id, out var turn))
        {
            throw OpenAiException.BadParameter("id", "'id' must be the id of a chat completion this server gave (chatcmpl-...).");
        }

        var feedback = body.Kind switch
        {
            "good" => new Feedback(FeedbackKind.Good),
            "bad" => new Feedback(FeedbackKind.Bad),
            "fix" when !string.IsNullOrWhiteSpace(body.Text) => new Feedback(FeedbackKind.Fix, body.Text.Trim()),
            "fix" => throw OpenAiException.BadParameter("text", "A fix says what should have happened: give it in 'text'."),
            _ => throw OpenAiException.BadParameter("kind", "'kind' must be 'good', 'bad' or 'fix'."),
        };
        var outcome = await silo.Agent.FeedbackOnTurnAsync(turn, feedback).ConfigureAwait(false);
        return Results.Json(new FeedbackResponse(body.Id!, outcome.Applied, outcome.EntryId,
            outcome.Applied ? null : "Nothing to credit on that reply: learning was off for it, or feedback was already given."));
    }

    /// <summary>The body of <c>POST /api/feedback</c>.</summary>
    public sealed class FeedbackRequest
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("kind")]
        public string? Kind { get; set; }

        [JsonPropertyName("text")]
        public string? Text { get; set; }
    }

    /// <summary>What the feedback did.</summary>
    public sealed record FeedbackResponse(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("applied")] bool Applied,
        [property: JsonPropertyName("entry_id")] string? EntryId,
        [property: JsonPropertyName("message")] string? Message);
}
