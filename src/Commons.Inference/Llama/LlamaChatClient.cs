using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LLama;
using LLama.Common;
using Commons.Inference.Tools;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Llama;

/// <summary>
/// <see cref="IChatClient"/> over a local LLamaSharp model: renders the conversation with the
/// model's chat template, keeps it inside the context window by dropping the oldest turns,
/// and streams the reply token by token. Tools in <see cref="ChatOptions.Tools"/> are advertised in the
/// model family's format and calls are read back as <see cref="FunctionCallContent"/>; a forced call
/// (<see cref="ChatToolMode.RequireAny"/>) is constrained by a grammar generated from the tools' schemas.
/// </summary>
public sealed class LlamaChatClient(LocalModel model) : IChatClient
{
    /// <summary>Longest time generated text waits before it is passed on as an update.</summary>
    private static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(10);

    private readonly ChatClientMetadata _metadata = new("llamasharp", new Uri("file://" + model.FilePath), model.Name);

    public LocalModel Model => model;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var maxTokens = options?.MaxOutputTokens ?? model.Options.MaxTokens;
        var conversation = messages.ToList();
        // Decided once per request; null for plain chat, which then runs exactly as before.
        var tools = ToolTurn.Plan(model, conversation, options);
        var prompt = PromptWindow.Fit(model, tools?.Messages ?? conversation, maxTokens);
        var stops = StopSequences(options);
        var temperature = options?.Temperature ?? model.Options.Temperature;
        var seed = options?.Seed is long chosenSeed ? unchecked((uint)chosenSeed) : model.Options.Seed ?? (uint)Random.Shared.NextInt64(uint.MaxValue);
        var topP = options?.TopP ?? 0.95f;
        var inference = new InferenceParams
        {
            // A budget larger than what is left of the window ends the reply at the window's end, as "length".
            MaxTokens = Math.Min(Math.Max(1, maxTokens), PromptWindow.ReplyRoom(model, prompt.TokenCount)),
            SamplingPipeline = tools?.Parser is not null
                ? tools.Sampling(temperature, topP, seed)
                : new DefaultSamplingPipeline { Temperature = temperature, Seed = seed, TopP = topP, Grammar = ResponseGrammar(options) },
        };
        var calls = tools?.Parser?.Begin();
        var pendingText = new StringBuilder();
        var sentText = 0;
        var lastSent = 0L;
        var callCount = 0;

        var responseId = Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        var outputTokens = 0;
        var filter = new StopFilter(stops);
        var finish = ChatFinishReason.Length;
        var stopwatch = Stopwatch.StartNew();

        using (await model.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            var executor = new StatelessExecutor(model.Weights, model.Parameters) { ApplyTemplate = false };
            await foreach (var piece in executor.InferAsync(prompt.Text, inference, cancellationToken).ConfigureAwait(false))
            {
                outputTokens++;
                var (text, stopped) = filter.Push(piece);
                if (text.Length > 0)
                {
                    if (calls is null)
                    {
                        // Plain text is coalesced into updates at most a few milliseconds apart (the first
                        // at once): every update costs each layer above (function invocation, Semantic
                        // Kernel's adapter, the grain) more than a small model takes to make a token.
                        pendingText.Append(text);
                        if (sentText == 0 || Stopwatch.GetElapsedTime(lastSent) >= UpdateInterval)
                        {
                            sentText++;
                            lastSent = Stopwatch.GetTimestamp();
                            yield return Update(pendingText.ToString());
                            pendingText.Clear();
                        }
                    }
                    else
                    {
                        foreach (var update in ToolUpdates(calls.Push(text)))
                        {
                            yield return update;
                        }
                    }
                }

                if (stopped)
                {
                    finish = ChatFinishReason.Stop;
                    break;
                }
            }

            if (pendingText.Length > 0)
            {
                yield return Update(pendingText.ToString());
                pendingText.Clear();
            }

            if (finish != ChatFinishReason.Stop && outputTokens < inference.MaxTokens)
            {
                finish = ChatFinishReason.Stop;
            }

            var rest = filter.Flush();
            if (calls is not null)
            {
                foreach (var update in ToolUpdates(calls.Push(rest)).Concat(ToolUpdates(calls.Complete())))
                {
                    yield return update;
                }
            }
            else if (rest.Length > 0)
            {
                yield return Update(rest);
            }
        }

        if (callCount > 0)
        {
            finish = ChatFinishReason.ToolCalls;
        }

        stopwatch.Stop();
        var usage = new UsageDetails
        {
            InputTokenCount = prompt.TokenCount,
            OutputTokenCount = outputTokens,
            TotalTokenCount = prompt.TokenCount + outputTokens,
            AdditionalCounts = new AdditionalPropertiesDictionary<long>
            {
                ["DroppedMessages"] = prompt.DroppedMessages,
                ["GenerationMilliseconds"] = stopwatch.ElapsedMilliseconds,
            },
        };
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            CreatedAt = created,
            ModelId = model.Name,
            FinishReason = finish,
            Contents = [new UsageContent(usage)],
        };

        ChatResponseUpdate Update(string text) => new(ChatRole.Assistant, text)
        {
            ResponseId = responseId,
            CreatedAt = created,
            ModelId = model.Name,
        };

        IEnumerable<ChatResponseUpdate> ToolUpdates(ToolCallChunk chunk)
        {
            if (chunk.Text.Length > 0)
            {
                yield return Update(chunk.Text);
            }

            if (chunk.Calls.Count > 0)
            {
                callCount += chunk.Calls.Count;
                yield return new ChatResponseUpdate(ChatRole.Assistant, [.. chunk.Calls])
                {
                    ResponseId = responseId,
                    CreatedAt = created,
                    ModelId = model.Name,
                };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The model is a shared singleton; its owner disposes it.
    }

    /// <summary>
    /// A JSON response format is enforced by a grammar made from its schema (any JSON object when it has
    /// none); a grammar llama.cpp would not parse is left out rather than crash sampling.
    /// </summary>
    private Grammar? ResponseGrammar(ChatOptions? options)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson json)
        {
            return null;
        }

        using var anyObject = JsonDocument.Parse("{\"type\":\"object\"}");
        var text = JsonSchemaGbnf.Convert(json.Schema ?? anyObject.RootElement);
        return GbnfCheck.IsAccepted(model.Weights.NativeHandle, text) ? new Grammar(text, "root") : null;
    }

    private IReadOnlyList<string> StopSequences(ChatOptions? options)
    {
        var stops = new List<string>(options?.StopSequences ?? []);
        // The end-of-turn markers of the common templates, in case the model prints them as text.
        stops.AddRange(model.TemplateName switch
        {
            "chatml" => ["<|im_end|>", "<|im_start|>"],
            "llama3" => ["<|eot_id|>", "<|start_header_id|>"],
            "llama2" or "mistral-v7" => ["</s>", "[INST]"],
            _ => ["<|im_end|>", "<|eot_id|>", "<|end|>"],
        });
        return stops;
    }
}
