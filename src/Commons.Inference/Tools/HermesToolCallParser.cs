using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>Qwen2.5 / Hermes: each call is <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c>, with text allowed around them.</summary>
public sealed class HermesToolCallParser(IEnumerable<AIFunctionDeclaration> tools) : ToolCallParser(tools)
{
    public const string Open = "<tool_call>";
    public const string Close = "</tool_call>";

    protected internal override IReadOnlyList<string> StartMarkers { get; } = [Open];

    protected internal override string? EndMarker => Close;

    protected internal override IEnumerable<FunctionCallContent> ReadBody(string body)
    {
        if (!TryReadJson(body, out var call, out var error))
        {
            return [error!];
        }

        return [ReadCall(call)];
    }
}
