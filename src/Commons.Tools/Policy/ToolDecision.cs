namespace Commons.Tools.Policy;

/// <summary>What the policy says about running a tool.</summary>
public enum ToolDecision
{
    /// <summary>Runs without asking (read-only tools).</summary>
    Allow,

    /// <summary>Runs only after the person says yes (anything that writes, deletes or sends).</summary>
    Confirm,

    /// <summary>Never runs.</summary>
    Deny,
}
