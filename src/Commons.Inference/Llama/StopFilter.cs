using System.Text;

namespace Commons.Inference.Llama;

/// <summary>
/// Holds back just enough streamed text to recognise a stop sequence that arrives split across
/// tokens, so the person never sees a template marker: only an ending that could still grow into a
/// stop sequence waits for the next piece; any other text passes at once.
/// </summary>
public sealed class StopFilter(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _pending = new();

    /// <summary>Adds a piece; returns the text now safe to show and whether a stop sequence was reached.</summary>
    public (string Text, bool Stopped) Push(string piece)
    {
        _pending.Append(piece);
        var text = _pending.ToString();
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                _pending.Clear();
                return (text[..at], true);
            }
        }

        var safe = text.Length - HeldBack(text);
        _pending.Remove(0, safe);
        return (text[..safe], false);
    }

    /// <summary>Whatever is held back once the reply has ended.</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>Length of the longest ending of <paramref name="text"/> that begins some stop sequence.</summary>
    private int HeldBack(string text)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
