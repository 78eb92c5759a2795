namespace Commons.Inference.Tools;

/// <summary>How a model family writes tool calls, and so how tools are advertised to it and read back.</summary>
public enum ToolFormat
{
    /// <summary>The model has no tool format of its own: tools are advertised generically and calls are constrained by a grammar.</summary>
    None,

    /// <summary>Qwen2.5 / Hermes: <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c>.</summary>
    Hermes,

    /// <summary>Llama 3.1 / 3.2: a bare JSON object <c>{"name": ..., "parameters": {...}}</c>, optionally after <c>&lt;|python_tag|&gt;</c>.</summary>
    Llama3,

    /// <summary>Mistral: <c>[TOOL_CALLS][{"name": ..., "arguments": {...}}]</c>.</summary>
    Mistral,
}
