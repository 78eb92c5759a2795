using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Commons.Privacy.Policies;

/// <summary>Typed access to one YAML policy file that records every problem with its line.</summary>
internal sealed class PolicyReader(string file, List<PolicyError> errors)
{
    public string File => file;

    public PolicyLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string message) => errors.Add(new PolicyError(At(node), message));

    public void Error(PolicyLocation location, string message) => errors.Add(new PolicyError(location, message));

    public YamlMappingNode? AsMap(YamlNode? node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        if (node is not null)
        {
            Error(node, $"{what} must be a mapping (key: value lines)");
        }

        return null;
    }

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

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? String(YamlMappingNode map, string key, bool required)
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

        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value");
            return null;
        }

        return scalar.Value ?? "";
    }

    public decimal? Decimal(YamlMappingNode map, string key, decimal min, decimal max)
    {
        var text = String(map, key, required: true);
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(Get(map, key)!, $"'{key}' must be a number from {min} to {max}, not '{text}'");
            return null;
        }

        return value;
    }

    public long? Integer(YamlMappingNode map, string key, long min, long max, bool required)
    {
        var text = String(map, key, required);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(Get(map, key)!, $"'{key}' must be a whole number from {min} to {max}, not '{text}'");
            return null;
        }

        return value;
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

    public List<string> Strings(YamlMappingNode map, string key, bool required)
    {
        var values = new List<string>();
        foreach (var item in Sequence(map, key, required))
        {
            if (item is YamlScalarNode { Value: { } value })
            {
                values.Add(value);
            }
            else
            {
                Error(item, $"every entry of '{key}' must be a single value");
            }
        }

        return values;
    }
}
