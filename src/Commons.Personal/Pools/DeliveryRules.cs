using System.Text;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Privacy.Policies;

namespace Commons.Personal.Pools;

/// <summary>
/// What a pool's own policy takes, as the member's agent checks it before delivering: the pool's
/// signed rules (null: the pool has none) with the person's own redaction, when that is the redaction
/// the pool requires.
/// </summary>
internal sealed record DeliveryRules(PoolPolicyDocument? Policy, RedactionPolicy? Redaction)
{
    /// <summary>Null when the pool would take the artifact (its exact JSON); otherwise why not.</summary>
    public PolicyRefusal? Refuse(string artifactJson)
    {
        if (Policy is null || Redaction is null)
        {
            return null;
        }

        var parsed = InsightArtifactParser.Parse(Encoding.UTF8.GetBytes(artifactJson));
        if (!parsed.IsValid)
        {
            return new PolicyRefusal("artifact", parsed.Reason);
        }

        return PoolPolicyCheck.Compatible(Policy, Redaction) ?? PoolPolicyCheck.Check(parsed.Artifact, Policy, Redaction);
    }
}
