namespace Commons.Community.Pooling;

/// <summary>
/// Where a topic placed one distinct normalised text: the group it joined, and the group's vector when
/// this text founded the group (null otherwise).
/// </summary>
public sealed record TextPlacement(string Normalised, string GroupId, float[]? Vector);
