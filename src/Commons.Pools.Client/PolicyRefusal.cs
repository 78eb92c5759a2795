namespace Commons.Pools.Client;

/// <summary>Why a pool's policy refuses an artifact: a short code (<c>policy</c>, <c>topic</c>, <c>lifetime</c>, <c>leak-check</c>, <c>redaction</c>) and one sentence.</summary>
public sealed record PolicyRefusal(string Code, string Reason);
