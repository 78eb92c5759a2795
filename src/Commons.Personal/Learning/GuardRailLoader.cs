using System.Security.Cryptography;
using System.Text;
using Commons.Privacy.Policies;
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

        var text = PolicyReader.ReadCanonical(full);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var errors = new List<PolicyError>();
        var rules = new List<GuardRailRule>();
        var reader = new PolicyReader(full, errors);
        if (reader.ReadVersionOne(text) is { } root)
        {
            reader.CheckKeys(root, "guardrails.yaml", "version", "guard_rails");
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

    private static GuardRailRule? ReadRule(PolicyReader reader, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, "a guard-rail must be a mapping (key: value lines)");
            return null;
        }

        reader.CheckKeys(map, "a guard-rail", RuleKeys);
        var id = reader.Text(map, "id", required: true);
        var text = reader.Text(map, "rule", required: true);
        var actions = reader.Texts(map, "blocked_actions");
        var phrases = reader.Texts(map, "blocked_phrases");
        var topics = reader.Texts(map, "blocked_topics");
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

    private static void RunExample(PolicyReader reader, GuardRailRule rule, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, "an example must be a mapping (key: value lines)");
            return;
        }

        reader.CheckKeys(map, "a guard-rail example", ExampleKeys);
        var situation = reader.Text(map, "situation", required: true);
        var output = reader.Text(map, "output", required: true);
        if (situation is null || output is null)
        {
            return;
        }

        if (output is not ("rejected" or "allowed"))
        {
            reader.Error(PolicyReader.Get(map, "output")!, "'output' must be rejected or allowed");
            return;
        }

        var breach = rule.Breach(reader.Text(map, "topic", required: false), situation, reader.Text(map, "advice", required: false) ?? "", reader.Text(map, "action", required: false));
        var actual = breach is null ? "allowed" : "rejected";
        if (actual != output)
        {
            reader.Error(node, $"example of '{rule.Id}' failed: expected {output}, got {actual}" + (breach is null ? "" : $" ({breach})"));
        }
    }
}
