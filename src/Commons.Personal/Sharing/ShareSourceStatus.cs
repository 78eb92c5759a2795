namespace Commons.Personal.Sharing;

/// <summary>What became of a candidate's source (a playbook entry or an outcome report).</summary>
public enum ShareSourceStatus
{
    /// <summary>An artifact made from it waits for approval.</summary>
    Pending = 0,

    /// <summary>Approved; proposed again only when its local evidence has grown enough.</summary>
    Shared = 1,

    /// <summary>The person denied it: never proposed again.</summary>
    Denied = 2,

    /// <summary>The pipeline refused it; tried again when the policy or its evidence changes (or at once, for a passing cause).</summary>
    Refused = 3,
}
