using System.Buffers;
using System.Text;
using Commons.Abstractions.Agents;
using Commons.Personal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Serve.OpenAi;

/// <summary><c>POST /v1/chat/completions</c>: a turn of the personal agent, answered in OpenAI's shapes (whole or as server-sent events).</summary>
public static class ChatCompletionEndpoints
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, PersonalSilo silo)
    {
        var body = await JsonBody.ReadAsync<ChatCompletionRequest>(context).ConfigureAwait(false);
        // The reply is written with the model leased here and goes out under its name (the installed name, whatever
        // spelling the client sent), even when another request switches models meanwhile.
        using var lease = await ModelRequests.RentAsync(silo, body.Model, context.RequestAborted).ConfigureAwait(false);
        var model = lease?.Name ?? silo.ModelName;
        var turn = ChatRequestReader.Read(body, lease is null ? model : body.Model ?? "", context.Request.Headers[ChatRequestReader.ConversationHeader].FirstOrDefault())
            with { ModelFile = lease?.Model.FilePath };
        await using var updates = silo.Agent.CompleteAsync(turn, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        // The first update names the turn: the completion's id, and the conversation to continue.
        if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current.Turn is not { } reference)
        {
            throw new InvalidOperationException("The agent did not name the turn.");
        }

        context.Response.Headers[ChatRequestReader.ConversationHeader] = reference.ConversationId;
        var json = new ChatCompletionJson(CompletionIds.Format(reference), model, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        if (body.Stream == true)
        {
            await StreamAsync(context, updates, json, body.StreamOptions?.IncludeUsage == true).ConfigureAwait(false);
        }
        else
        {
            await WholeAsync(context, updates, json).ConfigureAwait(false);
        }
    }

    private static async Task WholeAsync(HttpContext context, IAsyncEnumerator<TurnUpdate> updates, ChatCompletionJson json)
    {
        var text = new StringBuilder();
        var calls = new List<ClientToolCall>();
        var finish = new TurnFinish("stop", 0, 0);
        while (await updates.MoveNextAsync().ConfigureAwait(false))
        {
            text.Append(updates.Current.Text);
            calls.AddRange(updates.Current.ToolCalls ?? []);
            finish = updates.Current.Finish ?? finish;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(json.Completion(text.ToString(), calls, finish), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, IAsyncEnumerator<TurnUpdate> updates, ChatCompletionJson json, bool includeUsage)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var cancel = context.RequestAborted;
        await SendAsync(json.Chunk("", role: true, includeUsage: includeUsage)).ConfigureAwait(false);
        var callIndex = 0;
        try
        {
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                var update = updates.Current;
                if (update.Text.Length > 0 || update.ToolCalls is { Count: > 0 })
                {
                    await SendAsync(json.Chunk(update.Text.Length > 0 ? update.Text : null, update.ToolCalls, callIndex, includeUsage: includeUsage)).ConfigureAwait(false);
                    callIndex += update.ToolCalls?.Count ?? 0;
                }

                if (update.Finish is { } finish)
                {
                    await SendAsync(json.FinishChunk(finish, includeUsage)).ConfigureAwait(false);
                    if (includeUsage)
                    {
                        await SendAsync(json.UsageChunk(finish)).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The status line has gone: the failure goes into the stream as OpenAI's error object.
            await SendAsync(OpenAiErrors.Serialize(new OpenAiException(StatusCodes.Status500InternalServerError, "The model failed while answering.", type: "server_error"))).ConfigureAwait(false);
        }

        response.BodyWriter.Write(Done);
        await response.BodyWriter.FlushAsync(cancel).ConfigureAwait(false);

        // One event, one flush: each write to the response stream is a flush of its own (an HTTP chunk and a
        // send on the socket), which made three for every token.
        async Task SendAsync(byte[] payload)
        {
            var writer = response.BodyWriter;
            writer.Write(DataPrefix);
            writer.Write(payload);
            writer.Write(EventEnd);
            await writer.FlushAsync(cancel).ConfigureAwait(false);
        }
    }
}
