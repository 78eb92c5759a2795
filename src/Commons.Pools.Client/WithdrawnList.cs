namespace Commons.Pools.Client;

/// <summary>The ids of a <see cref="WithdrawnRequest"/> that the topic no longer serves.</summary>
public sealed record WithdrawnList(IReadOnlyList<string> Withdrawn);
