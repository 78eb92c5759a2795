using Commons.Privacy.Redaction;

namespace Commons.Privacy.Policies;

/// <summary>Runs every example of a policy set (what <c>commons policy test</c> and CI run).</summary>
public static class PolicyExampleRunner
{
    /// <summary>
    /// Runs each redaction example through the whole redaction (with its known entities) and each
    /// sharing example through the sharing decision.
    /// </summary>
    public static IReadOnlyList<PolicyExampleOutcome> Run(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var redaction = policies.Redaction;
        var examples = redaction.Detectors.SelectMany(d => d.Examples)
            .Concat(redaction.KnownEntities.Examples)
            .Concat(redaction.Vocabulary.Examples);
        var outcomes = new List<PolicyExampleOutcome>();
        foreach (var example in examples)
        {
            var known = new KnownEntities(example.Known.Select(k => new KnownEntity(k.Kind, k.Value)));
            outcomes.Add(new PolicyExampleOutcome(example, Redactor.Redact(example.Input, redaction, known).Text));
        }

        foreach (var example in policies.Sharing.Examples)
        {
            outcomes.Add(new PolicyExampleOutcome(example, policies.Sharing.Decide(example.Input, example.Evidence).Outcome));
        }

        return outcomes;
    }
}
