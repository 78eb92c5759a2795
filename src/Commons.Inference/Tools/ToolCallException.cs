namespace Commons.Inference.Tools;

/// <summary>
/// Why a tool call the model wrote cannot be run (broken JSON, an unknown tool, a missing or
/// mistyped argument). It is never thrown: it travels as <see cref="Microsoft.Extensions.AI.FunctionCallContent.Exception"/>
/// so the tool loop answers the model with a tool error instead of running the call.
/// </summary>
public sealed class ToolCallException : Exception
{
    public ToolCallException()
    {
    }

    public ToolCallException(string message)
        : base(message)
    {
    }

    public ToolCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
