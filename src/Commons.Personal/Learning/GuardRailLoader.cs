using System.Security.Cryptography;
using System.Text;
using Commons.Privacy.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Commons.Personal.Learning;

/// <summary>
/// Reads and validates <c>guardrails.yaml</c>, runs its examples, and collects every problem with
/// file:line. Kept apart from the privacy policy set, which reads only the redaction and sharing files.
/// </summary>
public static class GuardRailLoader
{
    private static readonly string[] RuleKeys = ["id", "rule", "blocked_actions", "blocked_phrases", "blocked_topics", "examples"];
    private static readonly string[] ExampleKeys = ["topic", "situation", "advice", "action", "output"];

    /// <summary>Loads the file; throws <see cref="PolicyLoadException"/> naming file:line for every problem.</summary>
    public static GuardRailSet Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new PolicyLoadException([new PolicyError(new PolicyLocation(full, 0, 0), "the guard-rails file is missing")]);
        }

        var text = File.ReadAllText(full, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var errors = new List<PolicyError>();
        var rules = new List<GuardRailRule>();
        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                errors.Add(new PolicyError(new PolicyLocation(full, 1, 1), "the file must hold one YAML mapping"));
            }
            else
            {
                root = map;
            }
        }
        catch (YamlException ex)
        {
            errors.Add(new PolicyError(new PolicyLocation(full, (int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {ex.Message}"));
        }

        if (root is not null)
        {
            var reader = new Reader(full, errors);
            reader.CheckKeys(root, "guardrails.yaml", "version", "guard_rails");
            if (reader.Scalar(root, "version", required: true) is { } version && version != "1")
            {
                reader.Error(Get(root, "version")!, $"version {version} is not supported; this Commons reads version 1");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in reader.Sequence(root, "guard_rails", required: true))
            {
                if (ReadRule(reader, node) is { } rule)
                {
                    if (!ids.Add(rule.Id))
                    {
                        reader.Error(node, $"the guard-rail id '{rule.Id}' is used twice");
                    }

                    rules.Add(rule);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new PolicyLoadException(errors);
        }

        return new GuardRailSet(full, hash, rules);
    }

    private static GuardRailRule? ReadRule(Reader reader, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, "a guard-rail must be a mapping (key: value lines)");
            return null;
        }

        reader.CheckKeys(map, "a guard-rail", RuleKeys);
        var id = reader.Scalar(map, "id", required: true);
        var text = reader.Scalar(map, "rule", required: true);
        var actions = reader.Strings(map, "blocked_actions");
        var phrases = reader.Strings(map, "blocked_phrases");
        var topics = reader.Strings(map, "blocked_topics");
        if (actions.Count + phrases.Count + topics.Count == 0)
        {
            reader.Error(map, "a guard-rail needs blocked_actions, blocked_phrases or blocked_topics");
        }

        if (id is null || text is null)
        {
            return null;
        }

        var rule = new GuardRailRule(id, text, actions, phrases, topics, reader.At(node));
        var examples = reader.Sequence(map, "examples", required: true);
        if (examples.Count == 0)
        {
            reader.Error(map, $"the guard-rail '{id}' needs at least one example");
        }

        foreach (var example in examples)
        {
            RunExample(reader, rule, example);
        }

        return rule;
    }

    private static void RunExample(Reader reader, GuardRailRule rule, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, "an example must be a mapping (key: value lines)");
            return;
        }

        reader.CheckKeys(map, "a guard-rail example", ExampleKeys);
        var situation = reader.Scalar(map, "situation", required: true);
        var output = reader.Scalar(map, "output", required: true);
        if (situation is null || output is null)
        {
            return;
        }

        if (output is not ("rejected" or "allowed"))
        {
            reader.Error(Get(map, "output")!, "'output' must be rejected or allowed");
            return;
        }

        var breach = rule.Breach(reader.Scalar(map, "topic", required: false), situation, reader.Scalar(map, "advice", required: false) ?? "", reader.Scalar(map, "action", required: false));
        var actual = breach is null ? "allowed" : "rejected";
        if (actual != output)
        {
            reader.Error(node, $"example of '{rule.Id}' failed: expected {output}, got {actual}" + (breach is null ? "" : $" ({breach})"));
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private sealed class Reader(string file, List<PolicyError> errors)
    {
        public PolicyLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public void Error(YamlNode node, string message) => errors.Add(new PolicyError(At(node), message));

        public void CheckKeys(YamlMappingNode map, string what, params string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    Error(key, $"unknown key '{name}' in {what}; expected one of: {string.Join(", ", allowed)}");
                }
            }
        }

        public string? Scalar(YamlMappingNode map, string key, bool required)
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required)
                {
                    Error(map, $"'{key}' is missing");
                }

                return null;
            }

            if (node is not YamlScalarNode { Value: { } value } || value.Trim().Length == 0)
            {
                Error(node, $"'{key}' must be a single, non-empty value");
                return null;
            }

            return value.Trim();
        }

        public IReadOnlyList<YamlNode> Sequence(YamlMappingNode map, string key, bool required)
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required)
                {
                    Error(map, $"'{key}' is missing");
                }

                return [];
            }

            if (node is not YamlSequenceNode sequence)
            {
                Error(node, $"'{key}' must be a list");
                return [];
            }

            return [.. sequence.Children];
        }

        public List<string> Strings(YamlMappingNode map, string key)
        {
            var values = new List<string>();
            foreach (var item in Sequence(map, key, required: false))
            {
                if (item is YamlScalarNode { Value: { } value } && value.Trim().Length > 0)
                {
                    values.Add(value.Trim());
                }
                else
                {
                    Error(item, $"every entry of '{key}' must be a single, non-empty value");
                }
            }

            return values;
        }
    }
}
