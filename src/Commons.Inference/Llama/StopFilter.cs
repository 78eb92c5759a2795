using System.Text;

namespace Commons.Inference.Llama;

/// <summary>
/// Holds back just enough streamed text to recognise a stop sequence that arrives split across
/// tokens, so the person never sees a template marker.
/// </summary>
public sealed class StopFilter(IReadOnlyList<string> stops)
{
    private readonly int _holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
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

        var safe = Math.Max(0, text.Length - _holdBack);
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
}
