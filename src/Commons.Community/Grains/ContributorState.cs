namespace Commons.Community.Grains;

/// <summary>A member key's admission, ledger and the outcome reports on what it contributed.</summary>
public sealed class ContributorState
{
    public bool Admitted { get; set; }

    public DateTimeOffset? AdmittedAt { get; set; }

    public string? InviteId { get; set; }

    public long Contributions { get; set; }

    public long CreditEarned { get; set; }

    public long CreditSpent { get; set; }

    public long Reads { get; set; }

    /// <summary>The UTC day (yyyy-MM-dd) the free reads were counted for.</summary>
    public string FreeDay { get; set; } = "";

    public int FreeReadsUsed { get; set; }

    /// <summary>Outcome reports by "reporter group": true when it helped.</summary>
    public Dictionary<string, bool> Reports { get; set; } = [];

    /// <summary>For reports whose bit went through randomised response: the epsilon, by the same key.</summary>
    public Dictionary<string, double> ReportEpsilons { get; set; } = [];
}
