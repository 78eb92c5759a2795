using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Llama;

/// <summary>
/// <see cref="IChatClient"/> over a local LLamaSharp model: renders the conversation with the
/// model's chat template, keeps it inside the context window by dropping the oldest turns,
/// and streams the reply token by token.
/// </summary>
public sealed class LlamaChatClient(LocalModel model) : IChatClient
{
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
        var prompt = PromptWindow.Fit(model, messages.ToList(), maxTokens);
        var stops = StopSequences(options);
        var inference = new InferenceParams
        {
            MaxTokens = Math.Max(1, Math.Min(maxTokens, model.ContextSize - prompt.TokenCount)),
            SamplingPipeline = new DefaultSamplingPipeline
            {
                Temperature = options?.Temperature ?? model.Options.Temperature,
                Seed = options?.Seed is long seed ? unchecked((uint)seed) : model.Options.Seed,
                TopP = options?.TopP ?? 0.95f,
            },
        };

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
                    yield return Update(text);
                }

                if (stopped)
                {
                    finish = ChatFinishReason.Stop;
                    break;
                }
            }

            if (finish != ChatFinishReason.Stop && outputTokens < inference.MaxTokens)
            {
                finish = ChatFinishReason.Stop;
            }

            var rest = filter.Flush();
            if (rest.Length > 0)
            {
                yield return Update(rest);
            }
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
