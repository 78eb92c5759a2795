namespace Commons.Privacy.Policies;

/// <summary>A topic that may be shared, the local evidence it needs first and how it is approved.</summary>
public sealed record SharingTopic(string Id, long MinEvidence, ApprovalMode Approval, PolicyLocation Location);
