namespace Commons.Tools.Plugins;

/// <summary>A task or reminder; times are local with their offset, <c>Due</c> is null for a task without a date.</summary>
public sealed record TaskItem(long Id, string Title, string? Due, bool Remind, bool Done);
