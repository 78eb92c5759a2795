namespace Commons.Pools.Client;

/// <summary>The body of every 4xx/5xx answer: one sentence, and the parser's rejection code for a bad artifact.</summary>
public sealed record PoolError(string Error, string? Rejection = null);
