namespace Commons.Privacy.Policies;

/// <summary>
/// The rules of <c>sharing.yaml</c>: which topics may be shared, the local evidence they need, the
/// epsilon each artifact spends, the person's daily epsilon budget, and the topics never shared.
/// </summary>
public sealed record SharingPolicy(
    string Id,
    decimal EpsilonPerArtifact,
    decimal DailyEpsilonBudget,
    int ArtifactLifetimeDays,
    IReadOnlyList<SharingTopic> Topics,
    IReadOnlyList<string> NeverShared,
    PolicyLocation Location,
    IReadOnlyList<PolicyExample> Examples)
{
    /// <summary>Decides whether an entry of this topic with this much local evidence may be shared.</summary>
    public SharingDecision Decide(string topic, long localEvidence)
    {
        foreach (var never in NeverShared)
        {
            if (topic == never || topic.StartsWith(never + ".", StringComparison.Ordinal))
            {
                return new(false, false, $"the topic {topic} is never shared ({never} in sharing.yaml)");
            }
        }

        var rule = Topics.FirstOrDefault(t => t.Id == topic);
        if (rule is null)
        {
            return new(false, false, $"the topic {topic} is not in the sharing policy's topic list");
        }

        if (localEvidence < rule.MinEvidence)
        {
            return new(false, false, $"the topic {topic} needs at least {rule.MinEvidence} local outcomes before sharing; this entry has {localEvidence}");
        }

        return rule.Approval == ApprovalMode.Auto
            ? new(true, false, $"the policy approves {topic} automatically")
            : new(true, true, $"the person approves each {topic} artifact");
    }
}
