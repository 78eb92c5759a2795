using System.Globalization;
using System.Text.Json;

namespace Commons.Eval;

/// <summary>
/// Requests with labels: any JSONL of <c>{"text", "label"}</c> (HWU64's <c>intent</c> and
/// <c>entities</c> are read too), or a built-in synthetic world for a machine with no files.
/// </summary>
public sealed class Dataset
{
    private Dataset(string name, IReadOnlyList<Request> requests)
    {
        Name = name;
        Requests = requests;
        Labels = requests.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<Request> Requests { get; }

    public IReadOnlyList<string> Labels { get; }

    public static Dataset Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new Abstractions.Hosting.CommonsException($"The dataset {path} does not exist.");
        }

        var requests = new List<Request>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var text = (root.TryGetProperty("raw", out var raw) ? raw.GetString() : null) ?? root.GetProperty("text").GetString();
                var label = root.TryGetProperty("label", out var l) ? l.ToString() : root.GetProperty("intent").GetString();
                if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(label))
                {
                    throw new FormatException("empty text or label");
                }

                var entities = new List<(string, string)>();
                if (root.TryGetProperty("entities", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var entity in list.EnumerateArray())
                    {
                        if (entity.TryGetProperty("type", out var type) && entity.TryGetProperty("value", out var value))
                        {
                            entities.Add((type.GetString() ?? "", value.GetString() ?? ""));
                        }
                    }
                }

                requests.Add(new Request(requests.Count, text.Trim(), label.Trim(), entities));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new Abstractions.Hosting.CommonsException($"Line {lineNumber} of {path} is not a JSON object with \"text\" and \"label\" (or \"intent\"): {ex.Message}", ex);
            }
        }

        if (requests.Count == 0)
        {
            throw new Abstractions.Hosting.CommonsException($"The dataset {path} has no requests.");
        }

        return new Dataset(Path.GetFileName(path), requests);
    }

    /// <summary>
    /// A synthetic world: 12 intents, each with templates and fillers, with person names in some of the
    /// requests (annotated, for the leak check); worded again with other openings and endings until it
    /// holds at least <paramref name="minimumRequests"/> (up to about 34,000).
    /// </summary>
    public static Dataset Synthetic(int seed, int minimumRequests = 720)
    {
        string[] verbs = ["set", "cancel", "check", "play", "stop", "send", "read", "add", "remove", "find", "book", "order"];
        string[] objects = ["alarm", "timer", "weather", "music", "podcast", "email", "message", "reminder", "meeting", "recipe", "taxi", "pizza"];
        string[] names = ["alice", "bob", "chen", "dara", "emeka", "farah"];
        string[] times = ["at seven", "tomorrow", "tonight", "in an hour", "on monday", "this weekend"];
        // Each further round words every request a little differently, until the population has enough.
        string[] openings = ["", "hey, ", "ok ", "quick one: ", "hi there, ", "right, ", "so ", "assistant, "];
        string[] endings = ["", " please", " thanks", " now", " if you can", " asap"];
        var random = new Random(seed);
        var requests = new List<Request>();
        for (var round = 0; requests.Count < minimumRequests && round < openings.Length * endings.Length; round++)
        {
            var opening = openings[round % openings.Length];
            var ending = endings[round / openings.Length];
            for (var i = 0; i < 24; i++)
            {
                var verb = verbs[i % verbs.Length];
                var obj = objects[(i * 5 + 3) % objects.Length];
                var label = $"{obj}_{verb}";
                string[] templates = [$"please {verb} the {obj} {{0}}", $"can you {verb} my {obj} {{0}}", $"I want to {verb} a {obj} {{0}}", $"{verb} {obj} {{0}} for {{1}}", $"could you {verb} the {obj} for {{1}} {{0}}"];
                foreach (var template in templates)
                {
                    foreach (var time in times)
                    {
                        var name = names[random.Next(names.Length)];
                        var text = opening + string.Format(CultureInfo.InvariantCulture, template, time, name) + ending;
                        var entities = template.Contains("{1}", StringComparison.Ordinal) ? new List<(string, string)> { ("person", name) } : [];
                        requests.Add(new Request(requests.Count, text, label, entities));
                    }
                }
            }
        }

        return new Dataset("synthetic", requests);
    }
}
