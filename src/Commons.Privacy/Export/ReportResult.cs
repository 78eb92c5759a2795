namespace Commons.Privacy.Export;

/// <summary>
/// A trial report through the pipeline: the bit to send (after randomised response) and the epsilon it
/// spent, or the stage and reason it was refused at (nothing is sent).
/// </summary>
public sealed record ReportResult(bool? Helpful, double Epsilon, string Stage, string? Reason)
{
    public bool IsRefused => Helpful is null;

    internal static ReportResult Refuse(string stage, string reason) => new(null, 0, stage, reason);
}
