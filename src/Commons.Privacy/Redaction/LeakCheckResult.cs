namespace Commons.Privacy.Redaction;

/// <summary>The leak check's verdict: clean, or the rule that still fires on text that was meant to be redacted.</summary>
public sealed record LeakCheckResult(bool Clean, string? Reason)
{
    /// <summary>Nothing private found.</summary>
    public static LeakCheckResult Passed { get; } = new(true, null);
}
