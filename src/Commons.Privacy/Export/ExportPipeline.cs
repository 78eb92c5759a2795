using Commons.Insights;
using Commons.Privacy.Budget;
using Commons.Privacy.Noise;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;

namespace Commons.Privacy.Export;

/// <summary>
/// The export path of a personal silo: policy → sharing rules → generalise (when a model is given) →
/// redact → leak check → epsilon charge (persisted) → discrete Laplace noise → draft for approval.
/// Any failure, including a policy that does not load, refuses: nothing leaves.
/// </summary>
public sealed class ExportPipeline(
    PolicyProvider policies,
    IEpsilonBudgetStore budget,
    IRandomSource random,
    TimeProvider time,
    IInsightGeneralizer? generalizer = null)
{
    /// <summary>Runs a candidate through the pipeline up to approval.</summary>
    public async Task<ExportResult> PrepareAsync(ExportCandidate candidate, KnownEntities known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(known);
        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            return ExportResult.Refuse("policy", ex.Message, ex);
        }

        try
        {
            return await PrepareAsync(candidate, known, policy, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Fail closed on anything unexpected; the exception is for the caller's log.
            return ExportResult.Refuse("pipeline", $"the export failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One trial of an imported insight as the single bit that may leave: the topic must be one the
    /// person shares, the policy's epsilon per artifact is charged to today's budget (persisted before the
    /// bit exists), and the bit goes through randomised response at that epsilon. Fails closed.
    /// </summary>
    public async Task<ReportResult> PrepareReportAsync(string topic, bool helpful, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException ex)
        {
            return ReportResult.Refuse("policy", ex.Message);
        }

        var decision = policy.Sharing.Decide(topic, long.MaxValue);
        if (!decision.Allowed)
        {
            return ReportResult.Refuse("sharing", decision.Reason);
        }

        EpsilonBudgetState state;
        try
        {
            state = await budget.LoadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ReportResult.Refuse("budget", $"the epsilon ledger cannot be read: {ex.Message}");
        }

        var epsilon = policy.Sharing.EpsilonPerArtifact;
        var charge = new EpsilonAccountant(state, time).TryCharge(epsilon, policy.Sharing.DailyEpsilonBudget);
        if (!charge.Charged)
        {
            return ReportResult.Refuse("budget", charge.Refusal!);
        }

        await budget.SaveAsync(state, cancellationToken);
        return new ReportResult(RandomizedResponse.Respond(helpful, (double)epsilon, random), (double)epsilon, "ready", null);
    }

    /// <summary>Signs an approved (or auto-approved) draft: the artifact that goes to the outbox.</summary>
    public static InsightArtifact Seal(ExportResult result, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.HasDraft)
        {
            throw new InvalidOperationException($"A refused export cannot be signed: {result.Reason}");
        }

        return InsightSigner.Sign(result.Draft, key);
    }

    private async Task<ExportResult> PrepareAsync(ExportCandidate candidate, KnownEntities known, PolicySet policy, CancellationToken cancellationToken)
    {
        if (candidate.Successes < 0 || candidate.Failures < 0)
        {
            return ExportResult.Refuse("evidence", "outcome counts cannot be negative");
        }

        var decision = policy.Sharing.Decide(candidate.Topic, candidate.Successes + candidate.Failures);
        if (!decision.Allowed)
        {
            return ExportResult.Refuse("sharing", decision.Reason);
        }

        var situation = candidate.Situation;
        var advice = candidate.Advice;
        if (generalizer is not null)
        {
            situation = await generalizer.GeneralizeAsync(situation, cancellationToken);
            advice = advice is null ? null : await generalizer.GeneralizeAsync(advice, cancellationToken);
        }

        var texts = new Dictionary<string, string?>
        {
            ["situation"] = Redactor.Redact(situation, policy.Redaction, known).Text,
            ["advice"] = advice is null ? null : Redactor.Redact(advice, policy.Redaction, known).Text,
            ["action"] = candidate.Action is null ? null : Redactor.Redact(candidate.Action, policy.Redaction, known).Text,
        };
        foreach (var (field, text) in texts)
        {
            if (text is not null && LeakCheck.Check(text, policy.Redaction, known) is { Clean: false } leak)
            {
                return ExportResult.Refuse("leak-check", $"the leak check fired on the {field}: {leak.Reason}");
            }
        }

        EpsilonBudgetState state;
        try
        {
            state = await budget.LoadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ExportResult.Refuse("budget", $"the epsilon ledger cannot be read: {ex.Message}", ex);
        }

        var epsilon = policy.Sharing.EpsilonPerArtifact;
        var charge = new EpsilonAccountant(state, time).TryCharge(epsilon, policy.Sharing.DailyEpsilonBudget);
        if (!charge.Charged)
        {
            return ExportResult.Refuse("budget", charge.Refusal!);
        }

        // The spend is persisted before any noised count exists, so a crash cannot hand out free epsilon.
        await budget.SaveAsync(state, cancellationToken);
        var successes = Math.Max(0, candidate.Successes + DiscreteLaplace.SampleForEpsilon(epsilon, random));
        var failures = Math.Max(0, candidate.Failures + DiscreteLaplace.SampleForEpsilon(epsilon, random));
        var now = time.GetUtcNow();
        var created = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var draft = new InsightDraft(candidate.Kind, candidate.Topic, texts["situation"]!, texts["advice"], texts["action"],
            new InsightEvidence(Math.Min(successes, InsightLimits.MaxCount), Math.Min(failures, InsightLimits.MaxCount),
                InsightEvidence.DiscreteLaplace, (double)epsilon),
            policy.Reference, created, created.AddDays(policy.Sharing.ArtifactLifetimeDays));
        return new ExportResult(decision.RequiresApproval ? ExportStatus.AwaitingApproval : ExportStatus.Approved, "ready", decision.Reason, draft);
    }
}
