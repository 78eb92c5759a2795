using System.Security.Cryptography;
using System.Text;
using Commons.Insights;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;

namespace Commons.Pools.Client;

/// <summary>
/// Whether a pool's policy takes an artifact: the one rule both sides run. The pool runs it on every
/// arrival with its own redaction rules; a member's agent runs it before delivering, with its own
/// rules once they match what the pool requires. The text check is the members' own leak check:
/// text the redaction would still change is refused.
/// </summary>
public static class PoolPolicyCheck
{
    /// <summary>Null when <paramref name="policy"/> takes <paramref name="artifact"/>; otherwise why not.</summary>
    public static PolicyRefusal? Check(InsightArtifact artifact, PoolPolicyDocument policy, RedactionPolicy redaction)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(redaction);
        if (!Accepts(policy, artifact.Policy))
        {
            return new("policy", $"The artifact was made under the policy {artifact.Policy.Id}, which this pool does not accept (it accepts {string.Join(", ", policy.AcceptedPolicies)}).");
        }

        var topic = Sharing(policy).Decide(artifact.Topic, long.MaxValue);
        if (!topic.Allowed)
        {
            return new("topic", $"This pool refuses it: {topic.Reason.Replace("sharing.yaml", "the pool's policy", StringComparison.Ordinal).Replace("the sharing policy's", "the pool's", StringComparison.Ordinal)}.");
        }

        if ((artifact.Expires - artifact.Created).TotalDays > policy.MaxLifetimeDays)
        {
            return new("lifetime", $"The artifact lives {(artifact.Expires - artifact.Created).TotalDays:0.#} days; this pool takes at most {policy.MaxLifetimeDays}.");
        }

        foreach (var (field, text) in new[] { ("situation", artifact.Situation), ("advice", artifact.Advice), ("action", artifact.Action) })
        {
            if (text is not null && LeakCheck.Check(text, redaction) is { Clean: false } leak)
            {
                return new("leak-check", $"The pool's redaction would change the {field}: {leak.Reason}.");
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="mine"/> redacts as <paramref name="policy"/> requires (every required
    /// detector, the same vocabulary), so that a member's check predicts the pool's; otherwise why not.
    /// </summary>
    public static PolicyRefusal? Compatible(PoolPolicyDocument policy, RedactionPolicy mine)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(mine);
        var missing = policy.Detectors.Except(mine.Detectors.Select(d => d.Id), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return new("redaction", $"This pool requires the detectors {string.Join(", ", missing)}, which your redaction policy lacks.");
        }

        return VocabularyHash(mine.Vocabulary) == policy.Vocabulary ? null
            : new("redaction", "This pool requires another shared vocabulary than your redaction policy's.");
    }

    /// <summary>
    /// The pool's own policy from what it published, once its signature is checked against
    /// <paramref name="adminKey"/> (the key the member's invite named; the policy's own when unknown).
    /// Null policy and null problem: the pool runs without a signed policy.
    /// </summary>
    public static (PoolPolicyDocument? Policy, string? Problem) Verified(PoolPolicyInfo? info, string? adminKey)
    {
        if (info?.Governance is not { } signed)
        {
            return (null, null);
        }

        var expected = adminKey ?? info.AdminKey;
        return signed.IsSignedBy(expected)
            ? (signed.Policy, null)
            : (null, $"the pool's policy is not signed by its admin key {expected}");
    }

    /// <summary>The sha256 (lowercase hex) of a vocabulary's words, sorted and one a line: what a pool policy names.</summary>
    public static string VocabularyHash(VocabularyRule vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var words = string.Join('\n', vocabulary.Words.Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(words)));
    }

    /// <summary>Whether an artifact made under <paramref name="reference"/> is one of the policies the pool accepts.</summary>
    public static bool Accepts(PoolPolicyDocument policy, PolicyReference reference)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reference);
        return policy.AcceptedPolicies.Any(a => a == reference.Id || a == $"{reference.Id}@{reference.Hash}");
    }

    // The members' own topic rule (never-shared prefixes, the topic list), over the pool's lists.
    private static SharingPolicy Sharing(PoolPolicyDocument policy)
    {
        var location = new PolicyLocation("pool policy", 0, 0);
        return new SharingPolicy(policy.Pool, 0, 0, policy.MaxLifetimeDays,
            policy.Topics.Select(t => new SharingTopic(t, 0, ApprovalMode.Auto, location)).ToList(), policy.NeverShared, location, []);
    }
}
