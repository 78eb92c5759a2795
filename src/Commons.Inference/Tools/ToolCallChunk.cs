using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// What a <see cref="ToolCallStream"/> lets through after a piece of generated text: the text that
/// is now safe to show, and the tool calls completed so far (malformed ones carry a
/// <see cref="ToolCallException"/> in <see cref="FunctionCallContent.Exception"/>).
/// </summary>
public sealed record ToolCallChunk(string Text, IReadOnlyList<FunctionCallContent> Calls)
{
    public static readonly ToolCallChunk Empty = new("", []);
}
