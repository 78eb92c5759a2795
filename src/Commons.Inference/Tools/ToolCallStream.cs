using System.Text;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// Reads one streamed reply: text before a tool call streams out as it comes (holding back only
/// what could be the start of a marker); the call itself is collected and read once it is closed
/// or the reply ends.
/// </summary>
public sealed class ToolCallStream
{
    private readonly ToolCallParser _parser;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _body = new();
    private readonly int _holdBack;
    private bool _inCall;
    private bool _sawText;

    internal ToolCallStream(ToolCallParser parser)
    {
        _parser = parser;
        _holdBack = parser.StartMarkers.Count == 0 ? 0 : parser.StartMarkers.Max(m => m.Length) - 1;
    }

    /// <summary>True once any tool call has started in this reply.</summary>
    public bool SawCall { get; private set; }

    /// <summary>Adds a piece of generated text.</summary>
    public ToolCallChunk Push(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (piece.Length == 0)
        {
            return ToolCallChunk.Empty;
        }

        var text = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        if (_inCall)
        {
            _body.Append(piece);
        }
        else
        {
            _pending.Append(piece);
        }

        Advance(text, calls, final: false);
        return text.Length == 0 && calls.Count == 0 ? ToolCallChunk.Empty : new ToolCallChunk(text.ToString(), calls);
    }

    /// <summary>The reply has ended: reads a call left open and lets the rest of the text through.</summary>
    public ToolCallChunk Complete()
    {
        var text = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        Advance(text, calls, final: true);
        if (_inCall)
        {
            // An unclosed call: read what there is; broken JSON becomes a tool error.
            calls.AddRange(_parser.ReadBody(_body.ToString()));
            _body.Clear();
            _inCall = false;
        }
        else
        {
            text.Append(_pending);
            _pending.Clear();
        }

        return new ToolCallChunk(text.ToString(), calls);
    }

    private void Advance(StringBuilder text, List<FunctionCallContent> calls, bool final)
    {
        while (true)
        {
            if (_inCall)
            {
                var end = _parser.EndMarker;
                if (end is null)
                {
                    return;
                }

                var body = _body.ToString();
                var at = body.IndexOf(end, StringComparison.Ordinal);
                if (at < 0)
                {
                    return;
                }

                calls.AddRange(_parser.ReadBody(body[..at]));
                _body.Clear();
                _inCall = false;
                _pending.Append(body.AsSpan(at + end.Length));
                continue;
            }

            var pending = _pending.ToString();
            if (_parser.JsonAtStartIsCall && !_sawText && !SawCall)
            {
                var trimmed = pending.TrimStart();
                if (trimmed.Length == 0)
                {
                    return;
                }

                if (trimmed[0] is '{' or '[')
                {
                    StartCall(trimmed);
                    continue;
                }
            }

            var (index, marker) = FindMarker(pending);
            if (index >= 0)
            {
                Emit(text, pending[..index]);
                StartCall(pending[(index + marker!.Length)..]);
                continue;
            }

            var safe = final ? pending.Length : SafeLength(pending);
            Emit(text, pending[..safe]);
            _pending.Remove(0, safe);
            return;
        }
    }

    private void StartCall(string body)
    {
        _pending.Clear();
        _body.Clear().Append(body);
        _inCall = true;
        SawCall = true;
    }

    private void Emit(StringBuilder text, string piece)
    {
        if (piece.Length > 0)
        {
            text.Append(piece);
            _sawText |= !string.IsNullOrWhiteSpace(piece);
        }
    }

    private (int Index, string? Marker) FindMarker(string pending)
    {
        var best = -1;
        string? found = null;
        foreach (var marker in _parser.StartMarkers)
        {
            var at = pending.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                found = marker;
            }
        }

        return (best, found);
    }

    /// <summary>How much of the text can go out without cutting a marker that may still be arriving.</summary>
    private int SafeLength(string pending)
    {
        var keep = 0;
        for (var length = Math.Min(_holdBack, pending.Length); length > 0 && keep == 0; length--)
        {
            var tail = pending.AsSpan(pending.Length - length);
            foreach (var marker in _parser.StartMarkers)
            {
                if (marker.AsSpan().StartsWith(tail, StringComparison.Ordinal))
                {
                    keep = length;
                    break;
                }
            }
        }

        // A reply that may still turn out to be a bare JSON call is held until it shows which it is.
        return pending.Length - keep;
    }
}
