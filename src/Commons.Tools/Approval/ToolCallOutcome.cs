namespace Commons.Tools.Approval;

/// <summary>What came of a tool call: its status and the text the model receives.</summary>
public sealed record ToolCallOutcome(ToolCallRequest Request, ToolCallStatus Status, string Result);
