namespace Commons.Pools.Client;

/// <summary>
/// A member's report on an insight (<c>POST /v1/reports</c>): the topic, the id it staged the insight
/// under, and why (<see cref="Reasons"/>).
/// </summary>
public sealed record ReportRequest(string Topic, string Id, string Reason, string? Note = null)
{
    /// <summary>The reasons a member may give.</summary>
    public static readonly IReadOnlyList<string> Reasons = ["personal-data", "spam", "harmful", "wrong"];

    /// <summary>Longest note accepted.</summary>
    public const int MaxNote = 500;
}
