namespace Commons.Insights;

/// <summary>The policy set an artifact was made under: its id and the sha256 (lowercase hex) of its content.</summary>
public sealed record PolicyReference(string Id, string Hash);
