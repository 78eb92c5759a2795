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

    public static Rendered Fit(LocalModel model, IReadOnlyList<ChatMessage> messages, int maxReplyTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var budget = Math.Max(MinimumReplyTokens, model.ContextSize - Math.Min(maxReplyTokens, model.ContextSize / 2));
        var system = messages.Where(m => m.Role == ChatRole.System).ToList();
        var turns = messages.Where(m => m.Role != ChatRole.System && !string.IsNullOrEmpty(m.Text)).ToList();

        var dropped = 0;
        while (true)
        {
            var text = Render(model, [.. system, .. turns]);
            var tokens = model.CountTokens(text);
            if (tokens <= budget)
            {
                return new Rendered(text, tokens, dropped);
            }

            if (turns.Count > 1)
            {
                turns.RemoveAt(0);
                dropped++;
                continue;
            }

            // Only the latest message is left and it is still too long: keep its end, which is
            // usually the question.
            if (turns.Count == 1 && turns[0].Text.Length > 1)
            {
                var last = turns[0].Text;
                var keep = Math.Max(1, (int)(last.Length * (budget / (double)tokens) * 0.9));
                turns[0] = new ChatMessage(turns[0].Role, last[^keep..]);
                continue;
            }

            if (system.Count > 0)
            {
                system.Clear();
                dropped++;
                continue;
            }

            return new Rendered(text, tokens, dropped);
        }
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
