namespace Commons.Web;

/// <summary>A tool call as the page shows it: the tool, its arguments, where it stands (waiting, succeeded, denied, ...) and its result.</summary>
public sealed record ToolCallView(string Id, long Sequence, string Tool, string Arguments, string Status, string? Result, DateTimeOffset At);
