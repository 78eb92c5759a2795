using System.Text;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Llama;

/// <summary>
/// Renders a conversation with the model's chat template so that it fits the context window
/// with room for the reply: the system messages and the latest message always stay; the oldest
/// of the others are dropped first, and a latest message too long on its own is cut from the front.
/// </summary>
public static class PromptWindow
{
    /// <summary>Smallest room kept for the reply even when the prompt is long.</summary>
    public const int MinimumReplyTokens = 16;

    /// <summary>A prompt ready for the model.</summary>
    public sealed record Rendered(string Text, int TokenCount, int DroppedMessages);

    /// <summary>
    /// How many tokens a reply after a prompt of <paramref name="promptTokens"/> tokens can have before the
    /// window is full: the reply ends there (finish reason "length") however many tokens were asked for.
    /// </summary>
    public static int ReplyRoom(LocalModel model, int promptTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Math.Max(0, UsableWindow(model) - promptTokens);
    }

    /// <summary>True when a prompt and its reply of these lengths have filled the window: the reply could not go on.</summary>
    public static bool IsFull(LocalModel model, int promptTokens, int replyTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        return promptTokens + replyTokens >= UsableWindow(model);
    }

    public static Rendered Fit(LocalModel model, IReadOnlyList<ChatMessage> messages, int maxReplyTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var window = UsableWindow(model);
        // Room kept for the reply (up to half the window) is made by dropping the oldest turns only: a large
        // reply budget never costs the system prompt or the latest message, which only go when they alone
        // leave no more than MinimumReplyTokens (the reply then ends at the window, as "length").
        var budget = Math.Max(MinimumReplyTokens, window - Math.Min(maxReplyTokens, window / 2));
        var hardBudget = window - MinimumReplyTokens;
        var system = messages.Where(m => m.Role == ChatRole.System).ToList();
        var turns = messages.Where(m => m.Role != ChatRole.System && !string.IsNullOrEmpty(m.Text)).ToList();

        // The prompt only shrinks as more of the oldest turns go: find the fewest to drop by halving
        // (a few renders even for a long conversation, not one per dropped turn).
        var dropped = 0;
        var fitted = Measure(model, system, turns, 0);
        if (fitted.Tokens > budget && turns.Count > 1)
        {
            var (low, high) = (1, turns.Count - 1);
            var atHigh = Measure(model, system, turns, high);
            while (low < high)
            {
                var middle = (low + high) / 2;
                var attempt = Measure(model, system, turns, middle);
                if (attempt.Tokens <= budget)
                {
                    (high, atHigh) = (middle, attempt);
                }
                else
                {
                    low = middle + 1;
                }
            }

            dropped = high;
            turns.RemoveRange(0, dropped);
            fitted = atHigh;
        }

        while (true)
        {
            var (text, tokens) = fitted;
            if (tokens <= hardBudget)
            {
                return new Rendered(text, tokens, dropped);
            }

            // Only the latest message is left and it is still too long: keep its end, which is
            // usually the question.
            if (turns.Count == 1 && turns[0].Text.Length > 1)
            {
                var last = turns[0].Text;
                var keep = Math.Max(1, (int)(last.Length * (hardBudget / (double)tokens) * 0.9));
                turns[0] = new ChatMessage(turns[0].Role, last[^keep..]);
                fitted = Measure(model, system, turns, 0);
                continue;
            }

            if (system.Count > 0)
            {
                system.Clear();
                dropped++;
                fitted = Measure(model, system, turns, 0);
                continue;
            }

            return new Rendered(text, tokens, dropped);
        }
    }

    /// <summary>
    /// The tokens a prompt and its reply can take together: one fewer than the context, because LLamaSharp's
    /// executor stops with a ContextOverflowException once the token it has just made would take the last cell.
    /// </summary>
    private static int UsableWindow(LocalModel model) => model.ContextSize - 1;

    /// <summary>The prompt without the oldest <paramref name="skip"/> turns, and its length in tokens.</summary>
    private static (string Text, int Tokens) Measure(LocalModel model, List<ChatMessage> system, List<ChatMessage> turns, int skip)
    {
        var text = Render(model, [.. system, .. turns.Skip(skip)]);
        return (text, model.CountTokens(text));
    }

    private static string Render(LocalModel model, IReadOnlyList<ChatMessage> messages)
    {
        var template = model.CreateTemplate();
        foreach (var message in messages)
        {
            template.Add(message.Role.Value, message.Text);
        }

        return Encoding.UTF8.GetString(template.Apply());
    }
}
