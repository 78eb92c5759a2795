namespace Commons.Tools.Policy;

/// <summary>
/// <c>policies/tools.yaml</c>: which tools run without asking, which need confirmation, which never
/// run, and which folders the files plugin may read. A tool the file does not name gets
/// <see cref="Default"/>, which is <see cref="ToolDecision.Confirm"/> unless the file says otherwise.
/// </summary>
public sealed record ToolPolicy(
    IReadOnlyList<string> Allow,
    IReadOnlyList<string> Confirm,
    IReadOnlyList<string> Deny,
    ToolDecision Default,
    IReadOnlyList<string> Folders,
    string? Source)
{
    /// <summary>The policy when no file exists: every tool asks first, and no folder can be read.</summary>
    public static ToolPolicy AskForEverything { get; } = new([], [], [], ToolDecision.Confirm, [], null);

    /// <summary>The decision for a tool name as advertised (<c>plugin_function</c>); deny wins over confirm over allow.</summary>
    public ToolDecision Decide(string toolName)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        if (Deny.Any(p => Matches(p, toolName)))
        {
            return ToolDecision.Deny;
        }

        if (Confirm.Any(p => Matches(p, toolName)))
        {
            return ToolDecision.Confirm;
        }

        return Allow.Any(p => Matches(p, toolName)) ? ToolDecision.Allow : Default;
    }

    /// <summary>An exact name, or a prefix ending in <c>*</c> such as <c>notes_*</c>.</summary>
    private static bool Matches(string pattern, string name) =>
        pattern.EndsWith('*')
            ? name.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, name, StringComparison.Ordinal);
}
