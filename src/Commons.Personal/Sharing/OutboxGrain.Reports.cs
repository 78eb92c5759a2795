using System.Globalization;
using Commons.Abstractions.Sharing;
using Commons.Privacy.Policies;
using Microsoft.Extensions.Logging;

namespace Commons.Personal.Sharing;

/// <summary>
/// The outbox's report side: each trial of an imported insight leaves as one bit (helpful or not) through
/// the export pipeline — randomised response at the policy's epsilon, charged to today's budget — to the
/// pool the insight came from, in the same protocol whoever sends it.
/// </summary>
public sealed partial class OutboxGrain
{
    public async Task<IReadOnlyList<QueuedReport>> ListReportsAsync()
    {
        PolicySet policy;
        try
        {
            policy = policies.GetCurrent();
        }
        catch (PolicyLoadException)
        {
            // Fail closed: a report queued under the old rules does not leave while the rules do not load.
            LogRefused(logger, "policy");
            return [];
        }

        // A topic the person stopped sharing since the bit was queued: it never leaves.
        var withdrawn = state.State.Reports.Where(r => !policy.Sharing.Decide(r.Topic, long.MaxValue).Allowed).ToList();
        if (withdrawn.Count > 0)
        {
            state.State.Reports.RemoveAll(withdrawn.Contains);
            await state.WriteStateAsync();
        }

        return state.State.Reports.ToList();
    }

    public async Task RemoveReportsAsync(IReadOnlyList<string> reportIds, bool sent = true)
    {
        ArgumentNullException.ThrowIfNull(reportIds);
        var gone = reportIds.ToHashSet(StringComparer.Ordinal);
        var removed = state.State.Reports.Where(r => gone.Contains(r.Id)).ToList();
        if (removed.Count == 0)
        {
            return;
        }

        foreach (var report in removed)
        {
            state.State.Reports.Remove(report);
            if (sent)
            {
                var counts = state.State.PoolCounts.GetValueOrDefault(report.Pool) ?? new PoolCountRecord();
                state.State.PoolCounts[report.Pool] = counts with { ReportsSent = counts.ReportsSent + 1 };
            }
        }

        await state.WriteStateAsync();
    }

    /// <summary>The playbook's pending reports become queued bits; a refusal that passes by itself (the day's budget, a policy being fixed) keeps the report for the next run.</summary>
    private async Task PrepareReportsAsync(Run run)
    {
        foreach (var pending in state.State.PendingOutcomes.ToList())
        {
            var report = pending.Report;
            var source = "outcome:" + report.ArtifactId;
            run.Candidates++;
            if (pending.Topic.Length == 0 || report.Pool.Length == 0)
            {
                state.State.PendingOutcomes.Remove(pending);
                Refuse(run, source, 1, "outcome", "the imported insight it reports on is no longer known");
                continue;
            }

            // One trial, one bit: did following the insight help?
            var helpful = !report.Retired && report.Successes > report.Failures;
            var result = await privacy.PipelineFor(Owner).PrepareReportAsync(pending.Topic, helpful, CancellationToken.None);
            if (result.IsRefused)
            {
                if (!PassingStages.Contains(result.Stage))
                {
                    state.State.PendingOutcomes.Remove(pending);
                }

                Refuse(run, source, 1, result.Stage, result.Reason ?? "refused");
                continue;
            }

            state.State.PendingOutcomes.Remove(pending);
            state.State.Reports.Add(new QueuedReport(
                string.Create(CultureInfo.InvariantCulture, $"r{++state.State.ReportNumber}"),
                report.Pool, pending.Topic, report.ArtifactId, result.Helpful!.Value, result.Epsilon));
            run.Reports++;
        }

        if (run.Reports > 0)
        {
            LogReportsQueued(logger, run.Reports);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} trial reports queued through randomised response.")]
    private static partial void LogReportsQueued(ILogger logger, int count);
}
