namespace Commons.Tools;

/// <summary>
/// A problem with a tool call that the model can fix or report (a bad date, a note that does not
/// exist, a path outside the allowed folders). Its message goes back to the model as the tool's error.
/// </summary>
public sealed class ToolException : Exception
{
    public ToolException()
    {
    }

    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
