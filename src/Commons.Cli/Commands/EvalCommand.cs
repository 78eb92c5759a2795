using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Privacy.Evaluation;

namespace Commons.Cli.Commands;

/// <summary><c>commons eval leaks</c>: the share of annotated entity values that survive redaction.</summary>
internal static class EvalCommand
{
    private static readonly string[] Targets = ["person", "email_address", "place_name"];

    public static Command Create()
    {
        var eval = new Command("eval", "Measure Commons against its goals.");
        var leaks = new Command("leaks", "Share of annotated entity values that survive the pipeline's redaction, per entity type.");
        var dataset = new Option<string>("--dataset")
        {
            Description = "JSONL of requests with annotated entities (HWU64 format).",
            DefaultValueFactory = _ => Path.Combine("..", "shared", "data", "hwu64.jsonl"),
        };
        var field = new Option<string>("--field")
        {
            Description = "Which text of each request to redact: raw (as typed) or text (normalised, lowercase).",
            DefaultValueFactory = _ => "raw",
        };
        field.AcceptOnlyFromAmong("raw", "text");
        var all = new Option<bool>("--all") { Description = "List every entity type, not only those with at least 20 values." };
        var folder = PolicyCommand.CreateFolderOption();
        leaks.Options.Add(dataset);
        leaks.Options.Add(field);
        leaks.Options.Add(all);
        leaks.Options.Add(folder);
        leaks.SetAction(parse =>
        {
            var policies = PolicyCommand.Load(parse, folder);
            var path = parse.GetValue(dataset)!;
            IReadOnlyList<AnnotatedRequest> requests;
            try
            {
                requests = LeakEvaluator.ReadHwu64(path, parse.GetValue(field)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CommonsException($"Cannot read the data set {path}: {ex.Message}", ex);
            }

            var report = LeakEvaluator.Evaluate(requests, policies.Redaction);
            Print(report, path, parse.GetValue(field)!, parse.GetValue(all), policies.Hash);
            return 0;
        });
        eval.Subcommands.Add(leaks);
        return eval;
    }

    private static void Print(LeakReport report, string path, string field, bool all, string hash)
    {
        var o = Console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Requests} requests ({field}) from {path}; {report.People} people (one per fold); policy sha256 {hash[..12]}"));
        o.WriteLine("Known entities of a person: the person, place_name, email_address and business_name values annotated in that person's requests.");
        o.WriteLine();
        o.WriteLine($"{"entity type",-22} {"values",7}  {"survive: detectors+gate",24}  {"survive: + known entities",26}");
        var rows = report.Rows.Where(r => all || r.Values >= 20 || Targets.Contains(r.EntityType))
            .OrderBy(r => Array.IndexOf(Targets, r.EntityType) is var i && i >= 0 ? i : Targets.Length)
            .ThenByDescending(r => r.Values);
        foreach (var row in rows)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.EntityType,-22} {row.Values,7}  {row.SurvivedDetectorsOnly,10} ({row.ShareDetectorsOnly,6:P1})        {row.SurvivedWithKnown,10} ({row.ShareWithKnown,6:P1})"));
        }

        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"over-redaction (ordinary non-entity words lost, of {report.OrdinaryWords}): detectors+gate {report.OverRedactionDetectorsOnly:P1}, with known entities {report.OverRedactionWithKnown:P1}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"leak check refusals (artifact would not leave): detectors+gate {report.LeakCheckRefusalsDetectorsOnly}, with known entities {report.LeakCheckRefusalsWithKnown}"));
    }
}
