using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Commons.Privacy.Policies;

/// <summary>Reads and validates a policy folder; collects every error with file:line before failing.</summary>
internal static class PolicyLoader
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(500);

    public static PolicySet Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new PolicyLoadException($"The policies folder {full} does not exist.");
        }

        var hash = PolicyHasher.Compute(full);
        var errors = new List<PolicyError>();
        var redaction = LoadRedaction(full, errors);
        var sharing = LoadSharing(full, errors);
        if (errors.Count > 0 || redaction is null || sharing is null)
        {
            throw new PolicyLoadException(errors);
        }

        return new PolicySet(full, sharing.Id, hash, redaction, sharing);
    }

    private static YamlMappingNode? ReadRoot(string directory, string name, List<PolicyError> errors, out PolicyReader reader)
    {
        var path = Path.Combine(directory, name);
        reader = new PolicyReader(path, errors);
        if (!File.Exists(path))
        {
            errors.Add(new PolicyError(new PolicyLocation(path, 0, 0), "the file is missing"));
            return null;
        }

        return reader.ReadVersionOne(PolicyReader.ReadCanonical(path));
    }

    private static RedactionPolicy? LoadRedaction(string directory, List<PolicyError> errors)
    {
        var root = ReadRoot(directory, PolicySet.RedactionFile, errors, out var reader);
        if (root is null)
        {
            return null;
        }

        reader.CheckKeys(root, "redaction.yaml", "version", "detectors", "known_entities", "vocabulary");
        var detectors = new List<DetectorRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in reader.Sequence(root, "detectors", required: true))
        {
            if (ReadDetector(reader, node) is { } detector)
            {
                if (!ids.Add(detector.Id))
                {
                    reader.Error(node, $"the detector id '{detector.Id}' is used twice");
                }

                detectors.Add(detector);
            }
        }

        var known = ReadKnownEntities(reader, root);
        var vocabulary = ReadVocabulary(reader, root, directory);
        return known is null || vocabulary is null ? null : new RedactionPolicy(detectors, known, vocabulary);
    }

    private static DetectorRule? ReadDetector(PolicyReader reader, YamlNode node)
    {
        var map = reader.AsMap(node, "a detector");
        if (map is null)
        {
            return null;
        }

        reader.CheckKeys(map, "a detector", "id", "description", "pattern", "ignore_case", "validator", "replacement", "examples");
        var id = reader.String(map, "id", required: true);
        var description = reader.String(map, "description", required: false) ?? "";
        var pattern = reader.String(map, "pattern", required: true);
        var replacement = reader.String(map, "replacement", required: true);
        var validatorText = reader.String(map, "validator", required: false) ?? "none";
        var ignoreCase = reader.String(map, "ignore_case", required: false) ?? "true";
        if (ignoreCase is not ("true" or "false"))
        {
            reader.Error(PolicyReader.Get(map, "ignore_case")!, "'ignore_case' must be true or false");
        }

        if (!Enum.TryParse<DetectorValidator>(validatorText, ignoreCase: true, out var validator) || int.TryParse(validatorText, out _))
        {
            reader.Error(PolicyReader.Get(map, "validator")!, $"unknown validator '{validatorText}'; expected one of: {string.Join(", ", Enum.GetNames<DetectorValidator>().Select(n => n.ToLowerInvariant()))}");
        }

        Regex? regex = null;
        if (pattern is not null)
        {
            try
            {
                var options = RegexOptions.CultureInvariant | (ignoreCase == "false" ? RegexOptions.None : RegexOptions.IgnoreCase);
                regex = new Regex(pattern, options, RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                reader.Error(PolicyReader.Get(map, "pattern")!, $"the pattern is not a valid regular expression: {ex.Message}");
            }
        }

        CheckPlaceholder(reader, map, replacement);
        var examples = ReadRedactionExamples(reader, map, id ?? "?");
        return id is null || regex is null || replacement is null
            ? null
            : new DetectorRule(id, description, regex, validator, replacement, reader.At(node), examples);
    }

    private static KnownEntitiesRule? ReadKnownEntities(PolicyReader reader, YamlMappingNode root)
    {
        var node = PolicyReader.Get(root, "known_entities");
        if (node is null)
        {
            reader.Error(root, "'known_entities' is missing");
            return null;
        }

        var map = reader.AsMap(node, "known_entities");
        if (map is null)
        {
            return null;
        }

        reader.CheckKeys(map, "known_entities", "sources", "replacements", "examples");
        var sources = reader.Strings(map, "sources", required: true);
        var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.AsMap(PolicyReader.Get(map, "replacements"), "replacements") is { } replacementMap)
        {
            foreach (var (key, value) in replacementMap.Children)
            {
                var kind = (key as YamlScalarNode)?.Value ?? "";
                var text = (value as YamlScalarNode)?.Value;
                if (text is null || !IsPlaceholder(text))
                {
                    reader.Error(value, $"the replacement for '{kind}' must be a placeholder such as [PERSON]");
                    continue;
                }

                replacements[kind] = text;
            }
        }
        else
        {
            reader.Error(map, "'replacements' is missing");
        }

        if (!replacements.ContainsKey("other"))
        {
            reader.Error(map, "'replacements' needs an 'other' placeholder for entities of any other kind");
        }

        var examples = ReadRedactionExamples(reader, map, KnownEntitiesRule.Id);
        return new KnownEntitiesRule(sources, replacements, reader.At(node), examples);
    }

    private static VocabularyRule? ReadVocabulary(PolicyReader reader, YamlMappingNode root, string directory)
    {
        var node = PolicyReader.Get(root, "vocabulary");
        if (node is null)
        {
            reader.Error(root, "'vocabulary' is missing");
            return null;
        }

        var map = reader.AsMap(node, "vocabulary");
        if (map is null)
        {
            return null;
        }

        reader.CheckKeys(map, "vocabulary", "words", "add", "remove", "place_words", "capitalised", "max_number_digits",
            "replacement", "name_replacement", "place_replacement", "number_replacement", "examples");
        var words = new HashSet<string>(StringComparer.Ordinal);
        var file = reader.String(map, "words", required: true);
        if (file is not null)
        {
            var path = Path.GetFullPath(Path.Combine(directory, file));
            if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                reader.Error(PolicyReader.Get(map, "words")!, "the word list must be inside the policies folder");
            }
            else if (!File.Exists(path))
            {
                reader.Error(PolicyReader.Get(map, "words")!, $"the word list {file} does not exist");
            }
            else
            {
                foreach (var line in File.ReadLines(path))
                {
                    var word = line.Trim();
                    if (word.Length > 0 && !word.StartsWith('#'))
                    {
                        words.Add(word.ToLowerInvariant());
                    }
                }
            }
        }

        foreach (var word in reader.Strings(map, "add", required: false))
        {
            words.Add(word.ToLowerInvariant());
        }

        foreach (var word in reader.Strings(map, "remove", required: false))
        {
            words.Remove(word.ToLowerInvariant());
        }

        var places = reader.Strings(map, "place_words", required: false).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var acronyms = reader.Strings(map, "capitalised", required: false).ToHashSet(StringComparer.Ordinal);
        var digits = reader.Integer(map, "max_number_digits", 0, 18, required: true);
        var replacement = reader.String(map, "replacement", required: true);
        var name = reader.String(map, "name_replacement", required: true);
        var place = reader.String(map, "place_replacement", required: true);
        var number = reader.String(map, "number_replacement", required: true);
        foreach (var key in new[] { "replacement", "name_replacement", "place_replacement", "number_replacement" })
        {
            CheckPlaceholder(reader, map, reader.String(map, key, required: false));
        }

        var examples = ReadRedactionExamples(reader, map, VocabularyRule.Id);
        if (replacement is null || name is null || place is null || number is null || digits is null)
        {
            return null;
        }

        return new VocabularyRule(words, places, acronyms, (int)digits, replacement, name, place, number, reader.At(node), examples);
    }

    private static List<PolicyExample> ReadRedactionExamples(PolicyReader reader, YamlMappingNode rule, string ruleId)
    {
        var examples = new List<PolicyExample>();
        var nodes = reader.Sequence(rule, "examples", required: true);
        if (nodes.Count == 0 && PolicyReader.Get(rule, "examples") is not null)
        {
            reader.Error(rule, $"the rule '{ruleId}' needs at least one example");
        }

        foreach (var node in nodes)
        {
            var map = reader.AsMap(node, "an example");
            if (map is null)
            {
                continue;
            }

            reader.CheckKeys(map, "an example", "input", "output", "known");
            var input = reader.String(map, "input", required: true);
            var output = reader.String(map, "output", required: true);
            var known = new List<KnownEntitySpec>();
            if (reader.AsMap(PolicyReader.Get(map, "known"), "known") is { } knownMap)
            {
                foreach (var (key, _) in knownMap.Children)
                {
                    var kind = (key as YamlScalarNode)?.Value ?? "";
                    known.AddRange(reader.Strings(knownMap, kind, required: true).Select(v => new KnownEntitySpec(kind, v)));
                }
            }

            if (input is not null && output is not null)
            {
                examples.Add(new PolicyExample(ruleId, reader.At(node), input, output, known, 0));
            }
        }

        return examples;
    }

    private static SharingPolicy? LoadSharing(string directory, List<PolicyError> errors)
    {
        var root = ReadRoot(directory, PolicySet.SharingFile, errors, out var reader);
        if (root is null)
        {
            return null;
        }

        reader.CheckKeys(root, "sharing.yaml", "version", "id", "epsilon_per_artifact", "daily_epsilon_budget",
            "artifact_lifetime_days", "topics", "never_shared", "examples");
        var id = reader.String(root, "id", required: true);
        if (id is not null && !Regex.IsMatch(id, "^[A-Za-z0-9._-]{1,64}$", RegexOptions.None, RegexTimeout))
        {
            reader.Error(PolicyReader.Get(root, "id")!, "'id' must be 1-64 letters, digits, '.', '_' or '-'");
        }

        var epsilon = reader.Decimal(root, "epsilon_per_artifact", 0.001m, 10m);
        var budget = reader.Decimal(root, "daily_epsilon_budget", 0m, 100m);
        var lifetime = reader.Integer(root, "artifact_lifetime_days", 1, 366, required: true);
        var topics = new List<SharingTopic>();
        foreach (var node in reader.Sequence(root, "topics", required: true))
        {
            var map = reader.AsMap(node, "a topic");
            if (map is null)
            {
                continue;
            }

            reader.CheckKeys(map, "a topic", "id", "min_evidence", "approval");
            var topic = reader.String(map, "id", required: true);
            if (topic is not null && !Regex.IsMatch(topic, "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$", RegexOptions.None, RegexTimeout))
            {
                reader.Error(PolicyReader.Get(map, "id")!, $"the topic '{topic}' must be dot-separated lowercase names such as calendar.scheduling");
            }

            var minimum = reader.Integer(map, "min_evidence", 1, 1_000_000, required: true);
            var approvalText = reader.String(map, "approval", required: true);
            var approval = approvalText switch
            {
                "required" => ApprovalMode.Required,
                "auto" => ApprovalMode.Auto,
                _ => (ApprovalMode?)null,
            };
            if (approvalText is not null && approval is null)
            {
                reader.Error(PolicyReader.Get(map, "approval")!, "'approval' must be required or auto");
            }

            if (topic is not null && minimum is not null && approval is not null)
            {
                topics.Add(new SharingTopic(topic, minimum.Value, approval.Value, reader.At(node)));
            }
        }

        var never = reader.Strings(root, "never_shared", required: true);
        foreach (var topic in topics.Where(t => never.Any(n => t.Id == n || t.Id.StartsWith(n + ".", StringComparison.Ordinal))))
        {
            reader.Error(topic.Location, $"the topic '{topic.Id}' is listed as shareable but falls under never_shared");
        }

        var examples = new List<PolicyExample>();
        var exampleNodes = reader.Sequence(root, "examples", required: true);
        foreach (var node in exampleNodes)
        {
            var map = reader.AsMap(node, "an example");
            if (map is null)
            {
                continue;
            }

            reader.CheckKeys(map, "a sharing example", "topic", "evidence", "output");
            var topic = reader.String(map, "topic", required: true);
            var evidence = reader.Integer(map, "evidence", 0, 1_000_000_000, required: true);
            var output = reader.String(map, "output", required: true);
            if (output is not null and not ("refused" or "needs-approval" or "auto"))
            {
                reader.Error(PolicyReader.Get(map, "output")!, "'output' must be refused, needs-approval or auto");
            }

            if (topic is not null && evidence is not null && output is not null)
            {
                examples.Add(new PolicyExample("sharing", reader.At(node), topic, output, [], evidence.Value));
            }
        }

        if (id is null || epsilon is null || budget is null || lifetime is null)
        {
            return null;
        }

        return new SharingPolicy(id, epsilon.Value, budget.Value, (int)lifetime.Value, topics, never, reader.At(root), examples);
    }

    private static void CheckPlaceholder(PolicyReader reader, YamlMappingNode map, string? replacement)
    {
        if (replacement is not null && !IsPlaceholder(replacement))
        {
            reader.Error(map, $"the replacement '{replacement}' must be a placeholder of capitals in brackets, such as [EMAIL]");
        }
    }

    internal static bool IsPlaceholder(string text) => Regex.IsMatch(text, "^\\[[A-Z_]{2,20}\\]$", RegexOptions.None, RegexTimeout);
}
