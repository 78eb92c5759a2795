namespace Commons.Tools.Policy;

/// <summary>The tool policy file cannot be used; the message names the file, the line and the problem.</summary>
public sealed class ToolPolicyException : Exception
{
    public ToolPolicyException()
    {
    }

    public ToolPolicyException(string message)
        : base(message)
    {
    }

    public ToolPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
