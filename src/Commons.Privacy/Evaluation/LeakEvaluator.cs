using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;

namespace Commons.Privacy.Evaluation;

/// <summary>
/// Measures what survives the situation-text path of the export pipeline (redaction, then the leak
/// check) on requests with annotated entities: once with detectors and the vocabulary gate alone, once
/// with each person's own entities known.
/// </summary>
public static partial class LeakEvaluator
{
    /// <summary>Annotated types that count as a person's known entities, and the kind each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownEntityTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["person"] = "person",
        ["place_name"] = "place",
        ["email_address"] = "email",
        ["business_name"] = "organisation",
    };

    /// <summary>
    /// Reads the HWU64 JSONL (<c>text</c> or <c>raw</c> field, <c>entities</c>); a person is a
    /// published fold (1-10), so each simulated person owns about a thousand requests.
    /// </summary>
    public static IReadOnlyList<AnnotatedRequest> ReadHwu64(string path, string field)
    {
        var requests = new List<AnnotatedRequest>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var text = root.GetProperty(field).GetString() ?? "";
            if (text.Length == 0 || text == "null")
            {
                continue;
            }

            var entities = root.GetProperty("entities").EnumerateArray()
                .Select(e => new KeyValuePair<string, string>(e.GetProperty("type").GetString()!, e.GetProperty("value").GetString()!))
                .ToList();
            var person = root.TryGetProperty("fold", out var fold) ? fold.GetRawText() : "1";
            requests.Add(new AnnotatedRequest(person, text, entities));
        }

        return requests;
    }

    /// <summary>Runs the measurement. A value counts when it occurs in the request as a whole word sequence.</summary>
    public static LeakReport Evaluate(IReadOnlyList<AnnotatedRequest> requests, RedactionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(policy);
        var knownByPerson = requests.GroupBy(r => r.Person).ToDictionary(g => g.Key, g => new KnownEntities(
            g.SelectMany(r => r.Entities)
             .Where(e => KnownEntityTypes.ContainsKey(e.Key))
             .Select(e => new KnownEntity(KnownEntityTypes[e.Key], e.Value))));
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        var plain = new Dictionary<string, int>(StringComparer.Ordinal);
        var withKnown = new Dictionary<string, int>(StringComparer.Ordinal);
        int ordinary = 0, lostPlain = 0, lostKnown = 0, refusedPlain = 0, refusedKnown = 0;
        foreach (var request in requests)
        {
            var known = knownByPerson[request.Person];
            var outPlain = Redactor.Redact(request.Text, policy).Text;
            var outKnown = Redactor.Redact(request.Text, policy, known).Text;
            refusedPlain += LeakCheck.Check(outPlain, policy).Clean ? 0 : 1;
            refusedKnown += LeakCheck.Check(outKnown, policy, known).Clean ? 0 : 1;
            var input = request.Text.ToLowerInvariant();
            var leftPlain = PlaceholderPattern().Replace(outPlain, " ").ToLowerInvariant();
            var leftKnown = PlaceholderPattern().Replace(outKnown, " ").ToLowerInvariant();
            foreach (var (type, value) in request.Entities)
            {
                var forms = new[] { value, value.Replace(" dot ", ".", StringComparison.Ordinal) };
                var form = forms.FirstOrDefault(f => Contains(input, f));
                if (form is null)
                {
                    continue;
                }

                values[type] = values.GetValueOrDefault(type) + 1;
                plain[type] = plain.GetValueOrDefault(type) + (Contains(leftPlain, form) ? 1 : 0);
                withKnown[type] = withKnown.GetValueOrDefault(type) + (Contains(leftKnown, form) ? 1 : 0);
            }

            var entityWords = request.Entities.SelectMany(e => Words(e.Value.ToLowerInvariant())).ToHashSet(StringComparer.Ordinal);
            var words = Words(input).Where(w => !entityWords.Contains(w)).ToList();
            ordinary += words.Count;
            lostPlain += Lost(words, leftPlain);
            lostKnown += Lost(words, leftKnown);
        }

        var rows = values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new LeakRow(v.Key, v.Value, plain[v.Key], withKnown[v.Key])).ToList();
        return new LeakReport(rows, requests.Count, knownByPerson.Count, ordinary,
            ordinary == 0 ? 0 : (double)lostPlain / ordinary, ordinary == 0 ? 0 : (double)lostKnown / ordinary, refusedPlain, refusedKnown);
    }

    private static int Lost(List<string> words, string output)
    {
        var remaining = Words(output.ToLowerInvariant()).GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = 0;
        foreach (var word in words)
        {
            if (remaining.TryGetValue(word, out var count) && count > 0)
            {
                remaining[word] = count - 1;
            }
            else
            {
                lost++;
            }
        }

        return lost;
    }

    private static bool Contains(string text, string value) =>
        Regex.IsMatch(text, $"(?<![\\p{{L}}\\p{{N}}]){Regex.Escape(value)}(?![\\p{{L}}\\p{{N}}])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex("\\[[A-Z_]+\\]")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*")]
    private static partial Regex WordPattern();
}
