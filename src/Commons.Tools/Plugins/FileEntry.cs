namespace Commons.Tools.Plugins;

/// <summary>A file or folder in a listing.</summary>
public sealed record FileEntry(string Path, bool IsFolder, long Size, string Modified);
