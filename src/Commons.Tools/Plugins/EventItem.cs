namespace Commons.Tools.Plugins;

/// <summary>A calendar event as the tools return it; times are local with their offset.</summary>
public sealed record EventItem(long Id, string Title, string Start, string End, bool AllDay, string Location);
