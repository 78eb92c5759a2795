namespace Commons.Tools.Approval;

/// <summary>How a tool call ended.</summary>
public enum ToolCallStatus
{
    Succeeded,

    /// <summary>The tool ran and reported a problem (or failed).</summary>
    Failed,

    /// <summary>The person or the policy said no; nothing ran.</summary>
    Denied,

    /// <summary>The model's call was malformed (bad JSON, unknown tool, wrong arguments); nothing ran.</summary>
    Invalid,
}
