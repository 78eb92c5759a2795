namespace Commons.Tools.Plugins;

/// <summary>A line of a file that contains the searched text.</summary>
public sealed record FileMatch(string Path, int Line, string Text);
