using System.Globalization;
using System.Text;

namespace Commons.Eval;

/// <summary>Writes a run's CSV, plot and markdown summary.</summary>
public static class Report
{
    private const double MeasurableGain = 0.02;

    public static string Write(string folder, string command, Dataset dataset, RunSettings settings, IReadOnlyList<ArmResult> results, TimeSpan elapsed, bool quick)
    {
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(folder);
        WriteCsv(Path.Combine(folder, "curves.csv"), results);
        Plot(Path.Combine(folder, "accuracy.png"), results, dataset);
        var summary = Summary(command, dataset, settings, results, elapsed, quick);
        File.WriteAllText(Path.Combine(folder, "summary.md"), summary);
        return summary;
    }

    private static void WriteCsv(string path, IReadOnlyList<ArmResult> results)
    {
        var csv = new StringBuilder("arm,interaction,accuracy,contributors,free_riders\n");
        foreach (var result in results)
        {
            var curve = result.Curve;
            var contributors = result.CurveFor(PersonRole.Contributor);
            var freeRiders = result.CurveFor(PersonRole.FreeRider);
            for (var t = 0; t < curve.Length; t++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"\"{result.Spec.Name}\",{t + 1},{curve[t]:F4},{(contributors.Length > 0 ? contributors[t].ToString("F4", CultureInfo.InvariantCulture) : "")},{(freeRiders.Length > 0 ? freeRiders[t].ToString("F4", CultureInfo.InvariantCulture) : "")}\n");
            }
        }

        File.WriteAllText(path, csv.ToString());
    }

    private static void Plot(string path, IReadOnlyList<ArmResult> results, Dataset dataset)
    {
        var plot = new ScottPlot.Plot();
        foreach (var result in results)
        {
            var curve = result.Curve;
            var smooth = Enumerable.Range(1, curve.Length).Select(t => ArmResult.Window(curve, t)).ToArray();
            var xs = Enumerable.Range(1, curve.Length).Select(t => (double)t).ToArray();
            var line = plot.Add.Scatter(xs, smooth);
            line.LegendText = result.Spec.Name;
            line.MarkerSize = 0;
            line.LineWidth = result.Spec.Kind is ArmKind.Centralized or ArmKind.Isolated ? 3 : 1.5f;
        }

        plot.Title($"Accuracy per interaction ({dataset.Name}; mean over people, 5-interaction window)");
        plot.XLabel("interaction");
        plot.YLabel("accuracy");
        plot.Axes.SetLimitsY(0, 1);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 1100, 700);
    }

    private static string Summary(string command, Dataset dataset, RunSettings settings, IReadOnlyList<ArmResult> results, TimeSpan elapsed, bool quick)
    {
        var checkpoints = new[] { 10, 25, 50 }.Where(c => c <= settings.Interactions).Append(settings.Interactions).Distinct().ToArray();
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Community-learning benchmark{(quick ? " (quick mode)" : "")}");
        s.AppendLine();
        s.AppendLine("Command:");
        s.AppendLine();
        s.AppendLine("    " + command);
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Data set: {dataset.Name} ({dataset.Requests.Count} requests, {dataset.Labels.Count} labels){(dataset.Name.StartsWith("hwu64", StringComparison.OrdinalIgnoreCase) ? " — HWU64 (Liu et al., IWSDS 2019), CC BY 4.0" : "")}. ");
        s.AppendLine(CultureInfo.InvariantCulture, $"People: {settings.People}, each with {settings.Interactions} interactions on a private non-IID slice (Dirichlet alpha {settings.Alpha.ToString(CultureInfo.InvariantCulture)}); seed {settings.Seed}; sharing every {settings.ShareEvery} interactions; pool k = {settings.PoolK}. Run time {elapsed.TotalMinutes:F1} min on this machine.");
        s.AppendLine();
        s.AppendLine("Accuracy at an interaction is the mean over people of the interactions within two of it (a 5-interaction window); the mean is over all interactions.");
        s.AppendLine();
        s.Append("| arm |");
        foreach (var c in checkpoints)
        {
            s.Append(CultureInfo.InvariantCulture, $" @{c} |");
        }

        s.AppendLine(CultureInfo.InvariantCulture, $" mean 1–{settings.Interactions} | shared | imported | leaks |");
        s.Append("|---|");
        foreach (var _ in checkpoints)
        {
            s.Append("---|");
        }

        s.AppendLine("---|---|---|---|");
        foreach (var r in results)
        {
            s.Append(CultureInfo.InvariantCulture, $"| {r.Spec.Name} |");
            foreach (var c in checkpoints)
            {
                s.Append(CultureInfo.InvariantCulture, $" {r.At(c):F3} |");
            }

            var leaks = r.Leaks.Canaries + r.Leaks.Persons + r.Leaks.Emails;
            s.AppendLine(CultureInfo.InvariantCulture, $" {r.Mean:F3} | {r.ArtifactsShared} | {r.InsightsImported} | {leaks} |");
        }

        s.AppendLine();
        foreach (var feedback in new[] { true, false })
        {
            var isolated = results.FirstOrDefault(r => r.Spec.Kind == ArmKind.Isolated && r.Spec.Corrections == feedback);
            var central = results.FirstOrDefault(r => r.Spec.Kind == ArmKind.Centralized && r.Spec.Corrections == feedback);
            if (isolated is null || central is null)
            {
                continue;
            }

            s.AppendLine(CultureInfo.InvariantCulture, $"## Share of the centralized gain the community recovers ({(feedback ? "with corrections" : "bandit feedback only")})");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Isolated {isolated.Mean:F3}, centralized {central.Mean:F3} (means over interactions 1–{settings.Interactions}).");
            s.AppendLine();
            if (central.Mean - isolated.Mean < MeasurableGain)
            {
                // A share of a gap this small is noise (it can come out at -90 %): say so instead.
                s.AppendLine(CultureInfo.InvariantCulture, $"Centralized is less than {MeasurableGain:F2} ahead of isolated: there is no gain to share out on this data set.");
                s.AppendLine();
                continue;
            }

            foreach (var community in results.Where(r => r.Spec.Kind == ArmKind.Community && r.Spec.Corrections == feedback && r.Spec.PoisonerShare == 0 && r.Spec.FreeRiderShare == 0))
            {
                var gain = central.Mean - isolated.Mean;
                var recovered = gain <= 0 ? double.NaN : (community.Mean - isolated.Mean) / gain;
                s.AppendLine(CultureInfo.InvariantCulture, $"- {community.Spec.Name}: {community.Mean:F3}, recovers {recovered:P0} of the gain.");
            }

            s.AppendLine();
        }

        var poisoned = results.Where(r => r.Spec.PoisonerShare > 0).ToList();
        if (poisoned.Count > 0)
        {
            var clean = results.FirstOrDefault(r => r.Spec.Kind == ArmKind.Community && r.Spec.Corrections && r.Spec.PoisonerShare == 0 && r.Spec.FreeRiderShare == 0 && Math.Abs(r.Spec.Epsilon - poisoned[0].Spec.Epsilon) < 1e-9);
            var isolated = results.FirstOrDefault(r => r.Spec.Kind == ArmKind.Isolated && r.Spec.Corrections);
            s.AppendLine("## Under attack (poisoners publish wrong actions with inflated evidence)");
            s.AppendLine();
            foreach (var r in poisoned)
            {
                s.Append(CultureInfo.InvariantCulture, $"- {r.Spec.Name}: ");
                s.Append(string.Join(", ", checkpoints.Select(c =>
                {
                    var vsIsolated = isolated is null ? "" : (r.At(c) >= isolated.At(c) ? " ≥ isolated" : " < isolated");
                    var vsClean = clean is null ? "" : string.Create(CultureInfo.InvariantCulture, $", {r.At(c) / clean.At(c):P0} of clean community");
                    return string.Create(CultureInfo.InvariantCulture, $"@{c} {r.At(c):F3}{vsIsolated}{vsClean}");
                })));
                s.AppendLine();
            }

            s.AppendLine();
        }

        foreach (var r in results.Where(r => r.Spec.FreeRiderShare > 0))
        {
            var contributors = r.CurveFor(PersonRole.Contributor);
            var riders = r.CurveFor(PersonRole.FreeRider);
            if (contributors.Length > 0 && riders.Length > 0)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"## Contributors and free riders ({r.Spec.Name})");
                s.AppendLine();
                s.AppendLine(CultureInfo.InvariantCulture, $"Contributors {contributors.Average():F3}, free riders {riders.Average():F3} (means over interactions 1–{settings.Interactions}); free riders read only within the pool's small free allowance.");
                s.AppendLine();
            }
        }

        var synced = results.Where(r => r.Sync is not null).ToList();
        if (synced.Count > 0)
        {
            s.AppendLine("## What else left through the privacy pipeline, and how poison fared");
            s.AppendLine();
            s.AppendLine("Every trial of an imported insight is reported to its pool as one bit through randomised response at the arm's epsilon, charged to the person's daily budget; a round stands for a day. A poisoned insight counts as stopped in time when the pool withdrew it before any honest agent tried (or adopted) it.");
            s.AppendLine();
            s.AppendLine("| arm | trial reports sent | epsilon per person per day | poisoned insights | reached an honest agent | withdrawn before any honest trial |");
            s.AppendLine("|---|---|---|---|---|---|");
            foreach (var r in synced)
            {
                var f = r.Sync!;
                var stopped = f.PoisonedReached == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{f.PoisonedWithdrawnUntried} ({(double)f.PoisonedWithdrawnUntried / f.PoisonedReached:P0})");
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Spec.Name} | {f.ReportsSent} | {f.EpsilonPerPersonDay:F2} | {f.Poisoned} | {f.PoisonedReached} | {stopped} |");
            }

            s.AppendLine();
        }

        var checkedArtifacts = results.Sum(r => r.Leaks.ArtifactsChecked);
        s.AppendLine("## Leaks");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{checkedArtifacts} shared artifacts checked (their situation, advice, action and topic: the fields made from people's words) for every canary planted in people's requests and for the annotated `person` and `email_address` values of their author's requests: {results.Sum(r => r.Leaks.Canaries)} canaries, {results.Sum(r => r.Leaks.Persons)} person values, {results.Sum(r => r.Leaks.Emails)} e-mail values found.");
        return s.ToString();
    }
}
