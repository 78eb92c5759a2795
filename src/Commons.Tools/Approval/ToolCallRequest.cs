namespace Commons.Tools.Approval;

/// <summary>A tool call about to run: the tool's advertised name, its arguments as JSON, and whether the person must approve it.</summary>
public sealed record ToolCallRequest(string ToolName, string ArgumentsJson, bool NeedsApproval);
