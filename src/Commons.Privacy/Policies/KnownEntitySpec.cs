namespace Commons.Privacy.Policies;

/// <summary>A known entity written in a policy example: its kind (person, place, ...) and value.</summary>
public sealed record KnownEntitySpec(string Kind, string Value);
