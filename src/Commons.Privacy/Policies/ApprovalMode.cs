namespace Commons.Privacy.Policies;

/// <summary>Whether the person approves each artifact of a topic or the policy approves it.</summary>
public enum ApprovalMode
{
    /// <summary>The person approves each artifact (<c>commons share review</c>).</summary>
    Required,

    /// <summary>The policy approves artifacts of this topic.</summary>
    Auto,
}
