namespace Commons.Privacy.Policies;

/// <summary>What the sharing policy says about one candidate: refused (with the reason), or allowed with or without approval.</summary>
public sealed record SharingDecision(bool Allowed, bool RequiresApproval, string Reason)
{
    /// <summary>The short form used by policy examples: <c>refused</c>, <c>needs-approval</c> or <c>auto</c>.</summary>
    public string Outcome => !Allowed ? "refused" : RequiresApproval ? "needs-approval" : "auto";
}
