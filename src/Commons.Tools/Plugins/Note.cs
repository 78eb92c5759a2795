namespace Commons.Tools.Plugins;

/// <summary>A note as the tools return it; <c>Created</c> is local time with its offset.</summary>
public sealed record Note(long Id, string Title, string Text, string Created);
