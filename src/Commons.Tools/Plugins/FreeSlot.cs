namespace Commons.Tools.Plugins;

/// <summary>A stretch of free time; local times with their offset.</summary>
public sealed record FreeSlot(string Start, string End, int Minutes);
