namespace Commons.Privacy.Export;

/// <summary>Where a candidate ended up.</summary>
public enum ExportStatus
{
    /// <summary>Nothing leaves; <see cref="ExportResult.Reason"/> says why.</summary>
    Refused,

    /// <summary>The draft waits for the person's approval.</summary>
    AwaitingApproval,

    /// <summary>The policy approves the topic; the draft may be signed and sent.</summary>
    Approved,
}
