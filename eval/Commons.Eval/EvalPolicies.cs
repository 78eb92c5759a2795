using System.Globalization;
using System.Text;

namespace Commons.Eval;

/// <summary>
/// The benchmark's policy set: the shipped redaction rules and vocabulary, plus the words of the
/// data set's action names (actions are the agents' shared protocol, not personal data), and a
/// sharing policy for the benchmark's one topic at the arm's epsilon.
/// </summary>
public static class EvalPolicies
{
    public static string Write(RunSettings settings, Dataset dataset, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dataset);
        var folder = Path.Combine(settings.WorkFolder, "policies-eps-" + epsilon.ToString("0.###", CultureInfo.InvariantCulture));
        if (Directory.Exists(folder))
        {
            return folder;
        }

        CopyFolder(settings.PoliciesFolder, folder);
        var vocabulary = Path.Combine(folder, "vocabulary", "words.txt");
        var actionWords = dataset.Labels.SelectMany(l => l.Split('_', '.', '-', ' ')).Select(w => w.ToLowerInvariant()).Where(w => w.Length > 0).Distinct().Order();
        File.AppendAllLines(vocabulary, actionWords);
        var sharing = new StringBuilder()
            .AppendLine("# The community-learning benchmark's sharing policy (written by eval/Commons.Eval).")
            .AppendLine("version: 1")
            .AppendLine("id: commons-eval")
            .AppendLine(CultureInfo.InvariantCulture, $"epsilon_per_artifact: {epsilon.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("daily_epsilon_budget: 100")
            .AppendLine("artifact_lifetime_days: 90")
            .AppendLine("topics:")
            .AppendLine("  - id: assistant.requests")
            .AppendLine("    min_evidence: 1")
            .AppendLine("    approval: auto")
            // One topic for every request, so no never-shared topic: with one, the agents' topic guess (which
            // compares each request with the topics' names, the sensitive reading winning when in doubt)
            // would keep a third of HWU64's requests (currency, recipes, alarms) home as "finance" or "health".
            .AppendLine("never_shared: []")
            .AppendLine("examples:")
            .AppendLine("  - topic: assistant.requests")
            .AppendLine("    evidence: 1")
            .AppendLine("    output: auto");
        File.WriteAllText(Path.Combine(folder, "sharing.yaml"), sharing.ToString());
        return folder;
    }

    private static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            throw new Abstractions.Hosting.CommonsException($"The policies folder {from} does not exist.");
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
