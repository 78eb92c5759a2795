using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Web;

/// <summary>Tool calls waiting for the person's yes (under <c>policies/tools.yaml</c>), their answers, and what ran lately.</summary>
internal static class ToolEndpoints
{
    public static void Map(RouteGroupBuilder api, PendingToolCalls calls)
    {
        api.MapGet("/tools", () =>
        {
            calls.PageSeen();
            return WebJson.Ok(new { waiting = calls.Waiting, finished = calls.Finished });
        });

        api.MapPost("/tools/{id}/{answer}", (string id, string answer) => answer switch
        {
            "allow" or "deny" => calls.Answer(id, answer == "allow")
                ? WebJson.Ok(new { id, allowed = answer == "allow" })
                : WebJson.Error($"No tool call {id} waits for an answer (it may have timed out).", StatusCodes.Status404NotFound),
            _ => WebJson.Error("Answer with allow or deny.", StatusCodes.Status404NotFound),
        });
    }
}
