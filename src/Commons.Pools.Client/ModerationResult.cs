namespace Commons.Pools.Client;

/// <summary>What a moderation request did: the open quarantine (for <c>list</c>), what was withdrawn, who was suspended or reinstated.</summary>
public sealed record ModerationResult(
    string Action,
    IReadOnlyList<QuarantineItem> Open,
    int Withdrawn,
    IReadOnlyList<string> Suspended,
    string Summary);
